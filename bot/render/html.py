"""HTML report: one self-contained page (inline CSS) for audits and CI artifacts; escaping by Jinja2."""

from __future__ import annotations

from itertools import groupby

from jinja2 import Environment, select_autoescape

from bot.models import ScanResult, Severity

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>resbot report</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:2rem;color:#1f2328}
h1{font-size:1.4rem}h2{font-size:1.05rem;margin-top:1.6rem;font-family:ui-monospace,monospace}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #d0d7de;padding:.3rem .5rem;text-align:left;vertical-align:top}
code,pre{font-family:ui-monospace,monospace;font-size:12px}pre{margin:.2rem 0;white-space:pre-wrap;background:#f6f8fa;padding:.3rem}
.sev{font-weight:600;border-radius:.6rem;padding:0 .5rem}.critical,.high{background:#ffebe9;color:#82071e}
.medium{background:#fff8c5;color:#7d4e00}.low,.info{background:#ddf4ff;color:#0a3069}.muted{color:#59636e}
</style></head><body>
<h1>resbot report</h1>
<p>{% for label, n in counts %}<span class="sev {{ label }}">{{ n }} {{ label }}</span> {% endfor %}
{% if not files %}No findings.{% endif %}</p>
{% for path, findings in files %}
<h2>{{ path }}</h2>
<table><thead><tr><th>line</th><th>severity</th><th>rule</th><th>finding</th></tr></thead><tbody>
{% for f in findings %}<tr><td>{{ f.line }}</td><td><span class="sev {{ f.severity.label }}">{{ f.severity.label }}</span></td>
<td><code>{{ f.rule_id }}</code><div class="muted">{{ f.category }}</div></td>
<td>{{ f.message }}{% if f.snippet %}<pre>{{ f.snippet }}</pre>{% endif %}{% if f.fix_hint %}<div class="muted">Instead: {{ f.fix_hint }}</div>{% endif %}</td></tr>
{% endfor %}</tbody></table>
{% endfor %}
<p class="muted">{{ result.files }} files, {{ "{:,}".format(result.lines) }} lines scanned in {{ "%.2f"|format(result.seconds) }} s.
{% if skipped %}Skipped: {% for reason, n in skipped %}{{ n }} {{ reason }}{% if not loop.last %}, {% endif %}{% endfor %}.{% endif %}</p>
</body></html>
"""

_ENV = Environment(autoescape=select_autoescape(default=True, default_for_string=True), keep_trailing_newline=True)
_TEMPLATE = _ENV.from_string(PAGE)


def render_html(result: ScanResult) -> str:
    counts = result.by_severity()
    return _TEMPLATE.render(
        result=result,
        counts=[(s.label, counts[s]) for s in sorted(Severity, reverse=True) if counts[s]],
        files=[(path, list(group)) for path, group in groupby(result.findings, key=lambda f: f.path)],
        skipped=sorted(result.skipped_by_reason().items()),
    )
