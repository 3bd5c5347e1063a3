package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/veilhq/veil/pipeline/report"
	"github.com/veilhq/veil/pipeline/review/reviewtest"
	"github.com/veilhq/veil/redactors/formattest"
	"github.com/veilhq/veil/redactors/zipview"
)

// A reviewer's step in one document of the 20-document case.
type reviewStep struct {
	reject   string // a proposed value to keep as written
	add      string // a value the detectors missed
	entity   string // the category of an addition
	caseWide bool
}

// review20Plan is what a reviewer decides in the case of reviewtest:
// accept most, reject two false positives (the clinic's public number
// in the whole case, "boss" taken for a name), add five missed values
// (the client's nickname and her workplace everywhere in the case, the
// court's case number everywhere, an employer and a minor's initials in
// one document each). Every other document: read, accept, mark reviewed.
var review20Plan = map[string][]reviewStep{
	"case_consultation.docx": {{reject: reviewtest.Switchboard, caseWide: true}, {add: reviewtest.Employer, entity: "ORGANIZATION"}},
	"deposition_excerpt.txt": {{reject: "boss"}, {add: reviewtest.Stables, entity: "ORGANIZATION", caseWide: true}},
	"exhibit_list.md":        {{add: "24-CV-03817", entity: "CASE_NUMBER", caseWide: true}},
	"motion_to_seal.md":      {{add: "W.H.", entity: "PERSON"}},
	"supervision_notes.docx": {{add: reviewtest.Nickname, entity: "PERSON", caseWide: true}},
}

// reviewTally counts what a reviewer did and read.
type reviewTally struct {
	keys, clicks, selections, choices int
	// values: distinct proposed values per document (what a reviewer
	// reads without help); fresh: of them, those not decided in a
	// document reviewed before (what is new to this document).
	values, fresh int
	// shown: the values the page shows as new (not checked in another
	// document, not decided), when it does.
	shown         int
	newByCategory map[string]int
	elapsed       time.Duration
}

func (r reviewTally) actions() int { return r.keys + r.clicks + r.selections + r.choices }

func (r reviewTally) String() string {
	return fmt.Sprintf("%d actions (%d keys, %d clicks, %d text selections, %d category choices), %d distinct values to read (%d new to their document), %v in the page",
		r.actions(), r.keys, r.clicks, r.selections, r.choices, r.values, r.fresh, r.elapsed.Round(time.Millisecond)) +
		fmt.Sprintf("; the page shows %d values as new %v", r.shown, r.newByCategory)
}

// review20 drives veil review over the 20-document case with the plan,
// by keyboard as a reviewer does (the mouse only to point at a value and
// to select text), and returns the decisions file and the tally. fast
// uses M (accept the rest, mark reviewed, next) instead of A then m.
func review20(t *testing.T, src, key string, fast bool) (string, reviewTally) {
	t.Helper()
	ctx, stop := browser(t)
	defer stop()
	tmp := t.TempDir()
	dec := filepath.Join(tmp, "case.veildec")
	url, done := startReview(t, "-p", "supervision", "--key-file", key, "--decisions", dec, "--reviewer", "Timed Reviewer", src, filepath.Join(tmp, "out"))
	tctx, cancel := context.WithTimeout(ctx, 3*time.Minute)
	defer cancel()
	var tally reviewTally
	must := func(what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		sctx, cancel := context.WithTimeout(tctx, 20*time.Second)
		defer cancel()
		if err := chromedp.Do(sctx, steps...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	key1 := func(k string) chromedp.Action[chromedp.Void] { tally.keys++; return chromedp.KeyEvent(k) }
	status := func(want string) chromedp.Action[chromedp.Void] {
		return poll(`document.getElementById("status").textContent.includes(` + jsString(want) + `)`)
	}
	// The first action starts the browser for the context it is given.
	if err := chromedp.Do(tctx, chromedp.EmulateViewport(1400, 900), chromedp.Navigate(url), chromedp.WaitVisible(chromedp.CSS(`mark[data-item]`))); err != nil {
		t.Fatalf("open the page: %v", err)
	}
	start := time.Now()
	seen := map[string]bool{} // entity and value of every proposal of the documents reviewed before
	names := reviewtest.Names()
	for i, name := range names {
		must("open "+name, poll(`document.getElementById("doc-title").textContent === `+jsString(name)+
			` && document.getElementById("status").textContent.startsWith("Opened")`))
		// What is there to read: the distinct proposed values.
		vals, err := chromedp.Run(tctx, chromedp.Evaluate[[]string](`[...new Set([...document.querySelectorAll("mark[data-repl]")].map((m) => m.title.split(",")[0] + "|" + m.textContent.toLowerCase()))]`))
		if err != nil {
			t.Fatal(err)
		}
		tally.values += len(vals)
		// The categories of the values the page shows as new, one per value.
		newCats, err := chromedp.Run(tctx, chromedp.Evaluate[[]string](`(() => {
			const by = new Map();
			for (const m of document.querySelectorAll("mark[data-repl]:not([data-seen]):not([data-state])")) by.set(m.dataset.item, m.title.split(",")[0]);
			return [...by.values()];
		})()`))
		if err != nil {
			t.Fatal(err)
		}
		shown := len(newCats)
		tally.shown += shown
		for _, c := range newCats {
			if tally.newByCategory == nil {
				tally.newByCategory = map[string]int{}
			}
			tally.newByCategory[c]++
		}
		for _, v := range vals {
			if !seen[v] {
				tally.fresh++
			}
		}
		for _, s := range review20Plan[name] {
			switch {
			case s.reject != "":
				k := "r"
				if s.caseWide {
					k = "R"
				}
				// Point at the value: with n (the new values, least
				// certain first) when the page has it, else a click.
				current := `(document.querySelector("#item-body .value") || {}).textContent === ` + jsString(s.reject)
				reached := false
				for range 8 {
					if !fast {
						break
					}
					if ok, _ := chromedp.Run(tctx, chromedp.Evaluate[bool](current)); ok {
						reached = true
						break
					}
					must("n", key1("n"))
				}
				if !reached {
					tally.clicks++
					must("point at "+s.reject, chromedp.Click(chromedp.Search(`//mark[text()=`+xpathString(s.reject)+`]`)))
				}
				must("reject "+s.reject+" in "+name, poll(current), key1(k), status("Rejected"),
					chromedp.WaitVisible(chromedp.Search(`//mark[text()=`+xpathString(s.reject)+` and @data-state="reject"]`)))
			default:
				tally.selections++
				must("select "+s.add, chromedp.Evaluate[chromedp.Void](selectAcross(s.add)),
					chromedp.WaitVisible(chromedp.Search(`//p[@id="add-value" and contains(., `+xpathString(s.add)+`)]`)))
				if cur, _ := chromedp.Run(tctx, chromedp.Evaluate[string](`document.getElementById("add-cat").value`)); cur != s.entity {
					tally.choices++
					must("choose "+s.entity, chromedp.SetValue(chromedp.ID("add-cat"), s.entity))
				}
				k := "x"
				if s.caseWide {
					k = "X"
				}
				must("add "+s.add, chromedp.Evaluate[chromedp.Void](`document.getElementById("doc").focus()`), key1(k), status("Added a redaction"),
					chromedp.WaitVisible(chromedp.Search(`//mark[@data-state="add" and contains(`+xpathString(s.add)+`, .)]`)))
			}
		}
		for _, v := range vals {
			seen[v] = true
		}
		t.Logf("%-36s %2d values, %2d shown as new, %d decisions besides accepting", name, len(vals), shown, len(review20Plan[name]))
		next := "Opened"
		if i == len(names)-1 {
			next = "Every document is reviewed"
		}
		if fast {
			must("accept the rest, mark reviewed, next", key1("M"), status(next))
		} else {
			must("accept the rest", key1("A"), status("Accepted"))
			must("mark reviewed, next", key1("m"), status(next))
		}
	}
	tally.elapsed = time.Since(start)
	must("finish",
		chromedp.Evaluate[chromedp.Void](`window.confirm = () => true`),
		chromedp.Click(chromedp.ID("finish")),
		status("The review is finished"))
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("veil review: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("veil review did not stop after Finish")
	}
	return dec, tally
}

// go test ./cmd/veil -run TestReview20InBrowser -v -review-timing also
// reviews the case the way the page allowed before n and M (A and m in
// every document, the mouse to point at a value), for docs/REVIEW.md's
// before and after.
var reviewTiming = flag.Bool("review-timing", false, "TestReview20InBrowser: also time the review without n and M")

// A timed review of 20 documents in the browser, then veil run with its
// decisions: the output is what the reviewer decided.
func TestReview20InBrowser(t *testing.T) {
	src := t.TempDir()
	write(t, src, reviewtest.Case20())
	key := testKeyFile(t)
	modes := []bool{true}
	if *reviewTiming {
		modes = []bool{false, true}
	}
	for _, fast := range modes {
		dec, tally := review20(t, src, key, fast)
		how := "a, r, x, then A and m in each document"
		if fast {
			how = "a, r, x, then M in each document"
		}
		t.Logf("review of 20 documents (%s): %v", how, tally)
		if fast && (tally.shown == 0 || tally.shown >= tally.values) {
			t.Errorf("the page shows %d of %d values as new", tally.shown, tally.values)
		}
		out := filepath.Join(t.TempDir(), "out")
		if code, msg := veil(t, "run", "-q", "-p", "supervision", "--key-file", key, "--decisions", dec, src, out); code != exitOK {
			t.Fatalf("run --decisions: %d %s", code, msg)
		}
		checkReview20Output(t, src, out)
	}
}

// checkReview20Output: every decision of review20Plan is in the output,
// and the report counts them.
func checkReview20Output(t *testing.T, src, out string) {
	t.Helper()
	texts := readOutputs(t, out)
	if len(texts) != 20 {
		t.Fatalf("%d outputs", len(texts))
	}
	for name, text := range texts {
		for _, gone := range []string{reviewtest.Nickname, reviewtest.Stables, "Ridgeback", "24-CV-03817", reviewtest.Client, "Teodora"} {
			if strings.Contains(text, gone) {
				t.Errorf("%s: %q is still there", name, gone)
			}
		}
	}
	// Rejected in the whole case: the clinic's number stays wherever it is.
	count := func(texts map[string]string, v string) (n int) {
		for _, text := range texts {
			if strings.Contains(text, v) {
				n++
			}
		}
		return n
	}
	if in, kept := count(readOutputs(t, src), reviewtest.Switchboard), count(texts, reviewtest.Switchboard); in < 3 || kept != in {
		t.Errorf("the clinic's number, rejected in the whole case, is in %d sources and %d outputs", in, kept)
	}
	if count(texts, "my boss at") != 1 {
		t.Error("the rejected \"boss\" was redacted")
	}
	if count(texts, reviewtest.Employer) != 0 || count(texts, "W.H.") != 0 {
		t.Error("a value added in one document is still there")
	}
	var rep struct {
		Review *report.Review `json:"review"`
	}
	b, _ := os.ReadFile(filepath.Join(out, "veil-report", "report.json"))
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatal(err)
	}
	if r := rep.Review; r == nil || r.Reviewed != 20 || r.Rejected != 2 || r.Added != 5 || r.Stale != 0 || r.Accepted == 0 {
		t.Errorf("report review %+v", rep.Review)
	}
}

// readOutputs reads the text of every file of dir (not the report):
// plain text as it is, DOCX and PDF through the project's independent
// readers.
func readOutputs(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		if e.IsDir() {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		out[e.Name()] = documentText(t, e.Name(), b)
	}
	return out
}

// selectAcross selects the first occurrence of s in the document's text,
// also across highlighted values, as a reviewer does with the mouse.
func selectAcross(s string) string {
	return `(() => {
		const want = ` + jsString(s) + `;
		for (const pre of document.querySelectorAll("pre.part")) {
			const at = pre.textContent.indexOf(want);
			if (at < 0) continue;
			const walker = document.createTreeWalker(pre, NodeFilter.SHOW_TEXT);
			const r = document.createRange();
			let pos = 0, started = false;
			for (let n = walker.nextNode(); n; n = walker.nextNode()) {
				const len = n.textContent.length;
				if (!started && at < pos + len) { r.setStart(n, at - pos); started = true; }
				if (started && at + want.length <= pos + len) { r.setEnd(n, at + want.length - pos); break; }
				pos += len;
			}
			const sel = window.getSelection();
			sel.removeAllRanges();
			sel.addRange(r);
			return;
		}
		throw new Error("text not found");
	})()`
}

func xpathString(s string) string {
	if !strings.Contains(s, `"`) {
		return `"` + s + `"`
	}
	return `'` + s + `'`
}

// documentText is the text of an output as a reader of it sees it:
// plain text as it is, every XML text and attribute of a DOCX
// (redactors/zipview), a PDF's text by pdftotext; white space collapsed.
func documentText(t *testing.T, name string, b []byte) string {
	t.Helper()
	var text string
	switch filepath.Ext(name) {
	case ".docx":
		var sb strings.Builder
		err := zipview.Read(b, zipview.Limits{}, func(v zipview.View) error {
			if v.Kind == zipview.Joined || v.Kind == zipview.Spaced || v.Kind == zipview.Attributes {
				sb.WriteString(v.Text + "\n")
			}
			return nil
		})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		text = sb.String()
	case ".pdf":
		cmd := exec.Command(formattest.Tool(t, "pdftotext"), "-layout", "-", "-")
		cmd.Stdin = bytes.NewReader(b)
		o, err := cmd.Output()
		if err != nil {
			t.Fatalf("%s: pdftotext: %v", name, err)
		}
		text = string(o)
	default:
		text = string(b)
	}
	return strings.Join(strings.Fields(text), " ")
}
