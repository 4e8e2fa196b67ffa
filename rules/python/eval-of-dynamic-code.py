import ast
import logging

log = logging.getLogger(__name__)


def create_predicate(query):
    expression = _create_query_expression(query)
    expression = "lambda item: " + expression
    # ruleid: eval-of-dynamic-code
    return eval(expression)


def run_command(handler, cmd, args):
    openbb_cmd = f"handler.{cmd}({args})"
    # ruleid: eval-of-dynamic-code
    return eval(openbb_cmd)


def price(order, rule):
    # ruleid: eval-of-dynamic-code
    return eval("order.total * %s" % rule.factor)


def discount(order, promo):
    # ruleid: eval-of-dynamic-code
    return eval("{} * order.total".format(promo.rate))


# ---- quiet ----


def parse_limits(text):
    # Literals only: ast.literal_eval cannot run code.
    # ok: eval-of-dynamic-code
    return ast.literal_eval(text)


def aggregate(df, column):
    # pandas' own expression language, a method named eval.
    # ok: eval-of-dynamic-code
    return df.eval(f"{column} * 2")


def freeze(model):
    # ok: eval-of-dynamic-code
    model.eval()
    return model


def constant():
    # ok: eval-of-dynamic-code
    return eval("1 + 2")


def make_init(fields):
    # Code generation: a method built from field names the program declares.
    source = "def __init__(self, " + ", ".join(fields) + "):\n    pass\n"
    namespace = {}
    # ok: eval-of-dynamic-code
    exec(source, namespace)
    return namespace["__init__"]


def load_version():
    # ok: eval-of-dynamic-code
    exec(open("service/version.py").read())


def evaluate_rule(rule):
    # Reviewed for bandit's check of the same thing.
    # ok: eval-of-dynamic-code
    return eval(rule.expression)  # nosec B307


def evaluate_filter(params):
    # A source taken whole from a request: found by the opt-in shape.
    # ruleid: eval-of-dynamic-code
    return eval(params["filter"])
