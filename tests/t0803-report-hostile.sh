#!/bin/bash
# Untrusted text never breaks the page: names, reasons, raw records,
# titles and DOT labels holding markup are shown as text; links, scripts,
# event handlers and outside references never reach the page; the
# structure stays well nested. (t0804 checks the same page in Chromium.)
. "$(dirname "$0")/lib.sh"
H=$TESTDATA/report/hostile

hostile_page() {
	xo-report -q -t '<script>alert("t")</script>' --metrics "$H/metrics.ndjson" \
		--drivers nps="$H/drivers.ndjson" --journey-dot "$H/journey.dot" \
		--rejected "$H/rejected.ndjson" --decisions "$H/decisions.ndjson" \
		--review "$H/review.txt" --predictions "$H/predictions.ndjson" \
		--calibration "$H/model.json" --paths "$H/paths.ndjson" "$@"
}

test_expect_success 'the page is written; the unusable lines make exit 1' '
	{ hostile_page -o page.html -r rej.ndjson; test $? = 1; } &&
	test "$(wc -l <rej.ndjson)" = 10
'

test_expect_success 'no script, handler, link, image or outside reference' '
	hostile_page >page.html || true
	! grep -qi "<script" page.html &&
	! grep -qiE "<[^>]*[[:space:]]on[a-z]+=" page.html &&
	! grep -qi "javascript:" page.html &&
	! grep -qiE "<(img|image|iframe|object|embed|foreignObject|link|base|meta http-equiv=.refresh)" page.html &&
	test -z "$(grep -o "<a [^>]*>" page.html | grep -v "<a href=\"#[a-z]*\">")" &&
	test -z "$(grep -oiE "(https?:|//)[^\" ]*" page.html | grep -v "^http://www.w3.org/\(2000/svg\|1999/xlink\)$")"
'

test_expect_success 'markup from the data is shown as text' '
	hostile_page >page.html || true
	grep -q "<title>&lt;script&gt;alert(&quot;t&quot;)&lt;/script&gt;</title>" page.html &&
	grep -q "<h1>&lt;script&gt;alert(&quot;t&quot;)&lt;/script&gt;</h1>" page.html &&
	grep -q "channel=&lt;script&gt;alert(1)&lt;/script&gt;" page.html &&
	grep -q "channel=&quot;quoted&quot; &amp; &#39;single&#39; &lt;/svg&gt;&lt;/figure&gt;" page.html &&
	grep -q "topic:&lt;img src=x onerror=alert(1)&gt;" page.html &&
	grep -q "&quot;&gt;&lt;svg onload=alert(1)&gt;" page.html &&
	grep -q "<code>&lt;/code&gt;&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;&lt;script&gt;alert(1)&lt;/script&gt;</code>" page.html &&
	grep -q "&lt;i&gt;C2&lt;/i&gt;" page.html &&
	grep -q ">&lt;script&gt;alert(1)&lt;/script&gt;</text>" page.html &&
	grep -q "churn&lt;/title&gt;&lt;script&gt;" page.html
'

test_expect_success 'control characters in data become U+FFFD' '
	hostile_page >page.html || true
	grep -q "C-9,z@,"$'"'"'\xef\xbf\xbd\xef\xbf\xbd'"'"'"bell" page.html &&
	! LC_ALL=C grep -q "[[:cntrl:]]" <(tr -d "\n\t\r" <page.html)
'

test_expect_success 'reasons of one kind count together, their values left out' '
	hostile_page >page.html || true
	grep -q "2 × invalid email &quot;…&quot;: invalid e-mail domain" page.html
'

test_expect_success 'every element is closed, in order (HTML parser)' '
	hostile_page >page.html || true
	/usr/bin/python3 - page.html <<-\EOT
	import sys
	from html.parser import HTMLParser
	VOID = {"meta", "br", "hr", "img", "input", "link", "wbr"}
	class Check(HTMLParser):
	    def __init__(self):
	        super().__init__(convert_charrefs=True)
	        self.stack, self.errors = [], []
	    def handle_starttag(self, tag, attrs):
	        if tag not in VOID:
	            self.stack.append(tag)
	    def handle_endtag(self, tag):
	        if not self.stack or self.stack[-1] != tag:
	            self.errors.append("</%s> at %s, open: %s" % (tag, self.getpos(), self.stack[-3:]))
	        else:
	            self.stack.pop()
	c = Check()
	c.feed(open(sys.argv[1], encoding="utf-8").read())
	c.close()
	assert not c.errors, c.errors[:5]
	assert c.stack == [], c.stack
	EOT
'

test_expect_success 'the page of the run is well nested too' '
	xo-report -q -d "$TESTDATA/report/run" >page.html &&
	/usr/bin/python3 -c "
import sys
from html.parser import HTMLParser
class C(HTMLParser):
    def __init__(s): super().__init__(); s.st=[]; s.bad=0
    def handle_starttag(s, t, a):
        if t not in (\"meta\", \"br\"): s.st.append(t)
    def handle_endtag(s, t):
        if s.st and s.st[-1] == t: s.st.pop()
        else: s.bad += 1
c = C(); c.feed(open(\"page.html\", encoding=\"utf-8\").read())
assert c.bad == 0 and c.st == [], (c.bad, c.st)
"
'
test_done
