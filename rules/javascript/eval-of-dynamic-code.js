const vm = require('vm');

function priceWithPromo(order, promo) {
  // ruleid: eval-of-dynamic-code
  const discount = eval(promo.formula);
  return order.total - discount;
}

function compileFilter(expression) {
  // ruleid: eval-of-dynamic-code
  return new Function('order', `return ${expression};`);
}

function runPartnerHook(hookSource, order) {
  // ruleid: eval-of-dynamic-code
  return vm.runInNewContext(hookSource, { order });
}

function loadRule(rule) {
  // ruleid: eval-of-dynamic-code
  return new vm.Script('(' + rule.body + ')');
}

// ---- quiet ----

// ok: eval-of-dynamic-code
const globalObject = new Function('return this')();

async function releaseLock(redis, key, token) {
  // Redis EVAL runs a Lua script on the server: not JavaScript eval.
  // ok: eval-of-dynamic-code
  return redis.eval("if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end", 1, key, token);
}

function parsePromo(raw) {
  // ok: eval-of-dynamic-code
  return JSON.parse(raw);
}

// ok: eval-of-dynamic-code
const version = vm.runInNewContext('1 + 1');

module.exports = { priceWithPromo, compileFilter, runPartnerHook, loadRule, globalObject, releaseLock, parsePromo, version };

function launchArgs(env) {
  // ruleid: eval-of-dynamic-code
  const fromEnv = eval((env.args));
  // ok: eval-of-dynamic-code
  const fixed = eval(("['--max-old-space-size=512']"));
  return [...fixed, ...fromEnv];
}
