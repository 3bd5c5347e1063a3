package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/veilhq/veil/pipeline/report"
	"github.com/veilhq/veil/redactors/formattest"
	"github.com/veilhq/veil/redactors/pdf/pdftest"
)

// go test ./cmd/veil -run TestReviewInBrowser -screenshots refreshes the
// screenshots of docs/REVIEW.md.
var screenshots = flag.Bool("screenshots", false, "write the review page's screenshots to docs/")

// browser starts headless Chromium (Debian's chromium; scripts/setup
// installs it) with a new empty profile and no network beyond the page.
func browser(t *testing.T) (context.Context, func()) {
	t.Helper()
	bin := formattest.Tool(t, "chromium", "chromium-browser")
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(bin),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1200, 760),
	)
	ctx, cancel := chromedp.NewContext(actx)
	return ctx, func() { cancel(); cancelAlloc() }
}

// startReview runs veil review in the background and returns the address
// it prints, and a channel with the command's result.
func startReview(t *testing.T, args ...string) (string, <-chan error) {
	t.Helper()
	app := newApp()
	pr, pw := io.Pipe()
	app.Writer, app.ErrWriter = pw, io.Discard
	done := make(chan error, 1)
	go func() {
		err := app.Run(append([]string{"veil", "review"}, args...))
		pw.Close()
		done <- err
	}()
	urls := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(pr)
		re := regexp.MustCompile(`http://127\.0\.0\.1:[0-9]+/\?t=[A-Za-z0-9_-]+`)
		for sc.Scan() {
			if u := re.FindString(sc.Text()); u != "" {
				urls <- u
			}
		}
		close(urls)
	}()
	select {
	case u, ok := <-urls:
		if !ok {
			t.Fatalf("veil review ended: %v", <-done)
		}
		return u, done
	case <-time.After(45 * time.Second):
		t.Fatal("veil review printed no address")
	}
	return "", nil
}

// The whole review in a real browser: open the samples case (and a PDF),
// reject one proposed redaction, add one by selecting text, mark a
// document reviewed, save, finish; then veil run --decisions applies
// exactly that, and the report counts it.
func TestReviewInBrowser(t *testing.T) {
	ctx, stop := browser(t)
	defer stop()
	src, tmp := t.TempDir(), t.TempDir()
	for _, f := range []string{"progress_note_2024-03-14.txt", "intake_letter.md", "discharge_summary.md", "declaration_of_daniel_reyes.txt", "supervision_handout.docx"} {
		b, err := os.ReadFile(filepath.Join("../../samples/cases", f))
		if err != nil {
			t.Fatal(err)
		}
		write(t, src, map[string][]byte{f: b})
	}
	// A one-page letter, invented like the samples, for the page image.
	write(t, src, map[string][]byte{"referral_letter.pdf": pdftest.OnePage(
		"Referral for Wilhelmina Quartermaine, born 03/09/1979.",
		"Phone (541) 555-0162, seen at Larkspur Family Clinic.",
		"She asked that her nickname Mina not appear in the handout.")})
	key := testKeyFile(t)
	dec := filepath.Join(tmp, "case.veildec")
	out := filepath.Join(tmp, "out")
	url, done := startReview(t, "-p", "supervision", "--no-ner", "--key-file", key, "--decisions", dec, "--reviewer", "E2E Reviewer", src, out)

	var console []string
	var cmu sync.Mutex
	msgs := chromedp.Console(ctx)
	go func() {
		for m, err := range msgs {
			if err != nil {
				return
			}
			if m.Type == chromedp.ConsoleError || m.Type == chromedp.ConsoleException || m.Type == chromedp.ConsoleWarning {
				cmu.Lock()
				console = append(console, m.String())
				cmu.Unlock()
			}
		}
	}()

	tctx, cancel := context.WithTimeout(ctx, 50*time.Second)
	defer cancel()
	shot := func(name string) {
		if !*screenshots {
			return
		}
		b, err := chromedp.Run(tctx, chromedp.CaptureScreenshot())
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join("../../docs", name), smallPNG(t, b), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	status := func(want string) chromedp.Action[chromedp.Void] {
		return poll(`document.getElementById("status").textContent.includes(` + jsString(want) + `)`)
	}
	must := func(what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(tctx, steps...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}

	must("open the page",
		chromedp.EmulateViewport(1200, 760),
		chromedp.Navigate(url),
		chromedp.WaitVisible(chromedp.CSS(`mark[data-item]`)),
	)
	// The token left the address bar after the first visit.
	if loc, _ := chromedp.Run(tctx, chromedp.Evaluate[string](`location.href`)); strings.Contains(loc, "t=") {
		t.Errorf("the token stays in the address: %s", loc)
	}
	checkAccessible(t, tctx)

	must("open the progress note",
		chromedp.Click(chromedp.Search(`//button[contains(., "progress_note_2024-03-14.txt")]`)),
		chromedp.WaitVisible(chromedp.Search(`//h2[@id="doc-title" and text()="progress_note_2024-03-14.txt"]`)),
		chromedp.WaitVisible(chromedp.Search(`//mark[text()="(503) 555-0147"]`)),
	)
	must("reject the clinic's number",
		chromedp.Click(chromedp.Search(`//mark[text()="(503) 555-0147"]`)),
		chromedp.KeyEvent("r"),
		status("Rejected"),
		chromedp.WaitVisible(chromedp.Search(`//mark[text()="(503) 555-0147" and @data-state="reject"]`)),
	)
	// j moved on to the next proposal not decided.
	if title, _ := chromedp.Run(tctx, chromedp.Text(chromedp.ID("item-title"))); !strings.HasPrefix(title, "Proposal") {
		t.Errorf("after a decision the panel shows %q", title)
	}
	must("select text the detectors missed",
		chromedp.Evaluate[chromedp.Void](selectText("night shift")),
		chromedp.WaitVisible(chromedp.Search(`//p[@id="add-value" and contains(., "night shift")]`)),
		chromedp.SetValue(chromedp.ID("add-cat"), "ORGANIZATION"),
	)
	shot("review-add.png")
	must("add it as a redaction",
		chromedp.Click(chromedp.ID("add")),
		status("Added a redaction"),
		chromedp.WaitVisible(chromedp.Search(`//mark[text()="night shift" and @data-state="add"]`)),
	)
	must("back to the top", chromedp.Evaluate[chromedp.Void](`document.getElementById("doc").scrollTop = 0`))
	shot("review-text.png")
	must("mark it reviewed: the next document opens",
		chromedp.Evaluate[chromedp.Void](`document.getElementById("doc").focus()`),
		chromedp.KeyEvent("m"),
		status("Opened"),
		chromedp.WaitVisible(chromedp.Search(`//button[contains(., "progress_note_2024-03-14.txt") and contains(., "reviewed")]`)),
	)
	must("open the PDF: its page image and boxes",
		chromedp.Click(chromedp.Search(`//button[contains(., "referral_letter.pdf")]`)),
		chromedp.WaitVisible(chromedp.CSS(`.page img`)),
		chromedp.WaitVisible(chromedp.CSS(`.page .box`)),
		poll(`document.querySelector(".page img").complete && document.querySelector(".page img").naturalWidth > 500`),
	)
	shot("review-pdf.png")
	must("open the shortcuts", chromedp.KeyEvent("?"), chromedp.WaitVisible(chromedp.ID("help")))
	must("close them and save",
		chromedp.Click(chromedp.ID("help-close")),
		chromedp.Click(chromedp.ID("save")),
		status("Decisions saved"),
	)
	must("finish",
		chromedp.Evaluate[chromedp.Void](`window.confirm = () => true`),
		chromedp.Click(chromedp.ID("finish")),
		status("The review is finished"),
	)
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("veil review: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("veil review did not stop after Finish")
	}
	cmu.Lock()
	for _, m := range console {
		t.Errorf("browser console: %s", m)
	}
	cmu.Unlock()

	// Apply the decisions.
	if code, msg := veil(t, "run", "-q", "-p", "supervision", "--no-ner", "--key-file", key, "--decisions", dec, "--reviewer", "E2E Reviewer", src, out); code != exitOK {
		t.Fatalf("run --decisions: %d %s", code, msg)
	}
	note, err := os.ReadFile(filepath.Join(out, "progress_note_date.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(note), "(503) 555-0147") {
		t.Errorf("the rejected number was redacted:\n%s", note)
	}
	if strings.Contains(string(note), "night shift") || !strings.Contains(string(note), "[organisation]") {
		t.Errorf("the added redaction is missing:\n%s", note)
	}
	var rep struct {
		Review *report.Review `json:"review"`
	}
	b, _ := os.ReadFile(filepath.Join(out, "veil-report", "report.json"))
	json.Unmarshal(b, &rep)
	if r := rep.Review; r == nil || r.Rejected != 1 || r.Added != 1 || r.Reviewed != 1 || r.Reviewer != "E2E Reviewer" || r.Stale != 0 {
		t.Errorf("report review %+v", rep.Review)
	}
}

// checkAccessible: every control has a name, every form field a label,
// the status line is live, and the page has its landmarks.
func checkAccessible(t *testing.T, ctx context.Context) {
	t.Helper()
	problems, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`(() => {
		const out = [];
		for (const b of document.querySelectorAll("button")) {
			if (!(b.textContent.trim() || b.getAttribute("aria-label"))) out.push("a button without a name");
		}
		for (const f of document.querySelectorAll("input, select, textarea")) {
			if (!(f.labels && f.labels.length) && !f.getAttribute("aria-label")) out.push("a field without a label: " + f.id);
		}
		const s = document.getElementById("status");
		if (s.getAttribute("aria-live") !== "polite" || s.getAttribute("role") !== "status") out.push("the status line is not live");
		for (const sel of ["header", "nav", "main", "aside", "h1"]) {
			if (!document.querySelector(sel)) out.push("no " + sel);
		}
		if (document.documentElement.lang !== "en") out.push("no page language");
		return out;
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Errorf("accessibility: %s", p)
	}
}

// selectText selects the first occurrence of s in the document's text, as
// a reviewer does with the mouse.
func selectText(s string) string {
	return `(() => {
		for (const pre of document.querySelectorAll("pre.part")) {
			const walker = document.createTreeWalker(pre, NodeFilter.SHOW_TEXT);
			for (let n = walker.nextNode(); n; n = walker.nextNode()) {
				const i = n.textContent.indexOf(` + jsString(s) + `);
				if (i >= 0) {
					const r = document.createRange();
					r.setStart(n, i);
					r.setEnd(n, i + ` + jsString(s) + `.length);
					const sel = window.getSelection();
					sel.removeAllRanges();
					sel.addRange(r);
					return;
				}
			}
		}
		throw new Error("text not found");
	})()`
}

// smallPNG re-encodes a screenshot with a palette of its 256 most
// frequent colours (a page of flat colours and text needs no more), a
// third of the size.
func smallPNG(t *testing.T, b []byte) []byte {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	count := map[color.RGBA]int{}
	bounds := img.Bounds()
	for y := bounds.Min.Y; y < bounds.Max.Y; y++ {
		for x := bounds.Min.X; x < bounds.Max.X; x++ {
			count[color.RGBAModel.Convert(img.At(x, y)).(color.RGBA)]++
		}
	}
	cs := make([]color.RGBA, 0, len(count))
	for c := range count {
		cs = append(cs, c)
	}
	sort.Slice(cs, func(i, j int) bool {
		if count[cs[i]] != count[cs[j]] {
			return count[cs[i]] > count[cs[j]]
		}
		a, b := cs[i], cs[j]
		return uint32(a.R)<<16|uint32(a.G)<<8|uint32(a.B) < uint32(b.R)<<16|uint32(b.G)<<8|uint32(b.B)
	})
	pal := make(color.Palette, 0, 256)
	for _, c := range cs[:min(256, len(cs))] {
		pal = append(pal, c)
	}
	out := image.NewPaletted(bounds, pal)
	draw.Draw(out, bounds, img, bounds.Min, draw.Src)
	var buf bytes.Buffer
	if err := (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(&buf, out); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// poll waits until a JavaScript expression is true.
func poll(expr string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := chromedp.Poll[bool](expr)(ctx, tg)
		return err
	})
}

func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
