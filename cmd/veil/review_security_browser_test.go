package main

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/veilhq/veil/pipeline/review"
	"github.com/veilhq/veil/pipeline/review/reviewtest"
	"github.com/veilhq/veil/redactors/formattest"
)

// The security of the review page, proved in a real browser against the
// real command: without the token, with a wrong one, under another host
// name (DNS rebinding) and from a page of another origin that knows the
// page's path and gets the cookie sent (another port of 127.0.0.1 is the
// same site), nothing is served and nothing changes; every response is
// no-store with the strict policy, which the browser enforces; and after
// a session, nothing of the case is on disk but the sealed decisions
// file: not in the browser's profile, cache, home or temporary folder
// (a control page that allows caching is found there, so the search
// would see it), and the file trees of SOURCE, DEST, the decisions'
// folder and veil's temporary folder are unchanged but for that file.
func TestReviewSecurityInBrowser(t *testing.T) {
	bin := formattest.Tool(t, "chromium", "chromium-browser")
	root := t.TempDir()
	dirs := map[string]string{}
	for _, d := range []string{"src", "dec", "veil-tmp", "profile", "chrome-home", "chrome-tmp"} {
		dirs[d] = filepath.Join(root, d)
		if err := os.MkdirAll(dirs[d], 0o700); err != nil {
			t.Fatal(err)
		}
	}
	all := reviewtest.Case20()
	files := map[string][]byte{}
	for _, n := range []string{"progress_note_2024-01-09.txt", "intake_assessment.md", "supervision_notes.docx", "referral_letter.pdf"} {
		files[n] = all[n]
	}
	write(t, dirs["src"], files)
	// What must not reach the disk: values shown on the page.
	values := []string{reviewtest.Client, reviewtest.Partner, reviewtest.Stables, "Vashti", "Hollowell", "00731864", "2207 Sorrel Lane", "dory.vashti@example.org", "(503) 555-0148"}
	// veil's own temporary files would go here.
	t.Setenv("TMPDIR", dirs["veil-tmp"])
	key := testKeyFile(t)
	dec := filepath.Join(dirs["dec"], "case.veildec")
	out := filepath.Join(root, "out")
	veilTrees := []string{dirs["src"], dirs["dec"], dirs["veil-tmp"], out, filepath.Dir(key)}
	before := trees(t, veilTrees...)

	// Another origin on this computer: a page that attacks the review
	// page, and a control page that may be cached.
	const marker = "CONTROL-MARKER-7f3a9c"
	attacker := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/cached":
			w.Header().Set("Cache-Control", "public, max-age=86400")
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprintf(w, "<!doctype html><title>control</title><p>%s</p><script>localStorage.setItem('control', %q)</script>", marker, marker)
		case "/attack":
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, attackPage)
		default:
			http.NotFound(w, r)
		}
	})}
	aln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go attacker.Serve(aln)
	defer attacker.Close()
	attackOrigin := "http://" + aln.Addr().String()

	url, done := startReview(t, "-p", "supervision", "--key-file", key, "--decisions", dec, dirs["src"], out)
	origin, token, _ := strings.Cut(url, "/?t=")
	_, port, _ := strings.Cut(origin, "127.0.0.1:")

	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(bin), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("disable-breakpad", true),
		// A name that resolves to this computer: DNS rebinding.
		chromedp.Flag("host-resolver-rules", "MAP rebind.test 127.0.0.1"),
		chromedp.UserDataDir(dirs["profile"]),
		chromedp.Env("HOME="+dirs["chrome-home"], "TMPDIR="+dirs["chrome-tmp"],
			"XDG_CACHE_HOME="+filepath.Join(dirs["chrome-home"], ".cache"), "XDG_CONFIG_HOME="+filepath.Join(dirs["chrome-home"], ".config")),
	)
	defer cancelAlloc()
	bctx, cancelBrowser := chromedp.NewContext(actx)
	defer cancelBrowser()
	ctx, cancel := context.WithTimeout(bctx, 4*time.Minute)
	defer cancel()

	var mu sync.Mutex
	// Every request the browser sent and the status of its response (as
	// received on the wire, also when the browser then blocks it).
	urls, statuses := map[network.RequestID]string{}, map[network.RequestID]int64{}
	nav := func(u string) *network.Response {
		t.Helper()
		resp, err := chromedp.Run(ctx, chromedp.NavigateResponse(u))
		if err != nil {
			t.Fatalf("navigate %s: %v", u, err)
		}
		return resp
	}
	body := func() string {
		s, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.documentElement.outerHTML`))
		return s
	}
	// Start the browser, then listen to what it receives.
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Listen(ctx, func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch e := ev.(type) {
		case *network.EventRequestWillBeSent:
			urls[e.RequestID] = e.Request.URL
		case *network.EventResponseReceivedExtraInfo:
			statuses[e.RequestID] = e.StatusCode
		case *network.EventResponseReceived:
			statuses[e.RequestID] = e.Response.Status
		}
	}); err != nil {
		t.Fatal(err)
	}

	// 1. No token, a wrong token: refused, with the strict headers.
	for _, u := range []string{origin + "/", origin + "/?t=" + token[:len(token)-2] + "xx", origin + "/?t="} {
		resp := nav(u)
		checkBrowserHeaders(t, u, resp)
		if resp.Status != http.StatusForbidden || containsAny(body(), values) {
			t.Errorf("%s: %d", u, resp.Status)
		}
	}
	// 2. Another name for this computer (DNS rebinding), with the token.
	if resp := nav("http://rebind.test:" + port + "/?t=" + token); resp.Status != http.StatusMisdirectedRequest || containsAny(body(), values) {
		t.Errorf("rebinding: %d", resp.Status)
	}
	// 3. The real address: the page, no-store, its policy enforced.
	resp := nav(url)
	checkBrowserHeaders(t, url, resp)
	if err := chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS(`mark[data-item]`))); err != nil {
		t.Fatal(err)
	}
	base, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`location.pathname`))
	ran, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`new Promise((done) => {
		window.__injected = false;
		const s = document.createElement("script");
		s.textContent = "window.__injected = true";
		document.body.append(s);
		const st = document.createElement("div");
		st.setAttribute("style", "position: absolute");
		document.body.append(st);
		setTimeout(() => done(window.__injected || getComputedStyle(st).position === "absolute"), 100);
	})`, chromedp.EvalAwaitPromise))
	if err != nil || ran {
		t.Errorf("inline script or style ran under the page's policy (%v)", err)
	}
	if _, err := os.Stat(dec); err == nil {
		t.Fatal("a decisions file before any decision")
	}

	// 4. A page of another origin that knows the page's path; the
	// browser sends it the cookie (same site), the server must refuse.
	mu.Lock()
	clear(statuses)
	clear(urls)
	mu.Unlock()
	nav(attackOrigin + "/attack#" + origin + base)
	res, err := chromedp.Run(ctx, chromedp.Poll[string](`window.attackDone`, chromedp.WithPollingTimeout(20*time.Second)))
	if err != nil {
		t.Fatalf("attack page: %v", err)
	}
	if strings.Contains(res, "READ:") || containsAny(res, values) {
		t.Errorf("the other origin read the page: %s", res)
	}
	t.Logf("what the other origin got:\n%s", res)
	// The browser's reports of the responses can come after the
	// script saw them fail: wait for them a while.
	var seen int
	var served []string
	for wait := time.Now(); ; time.Sleep(200 * time.Millisecond) {
		seen, served = 0, nil
		mu.Lock()
		for id, u := range urls {
			if st, ok := statuses[id]; ok && strings.HasPrefix(u, origin) && strings.Contains(u, base) {
				seen++
				if st < 400 {
					served = append(served, fmt.Sprintf("%s %d", strings.Replace(u, base, "/…/", 1), st))
				}
			}
		}
		mu.Unlock()
		if seen >= 5 || time.Since(wait) > 15*time.Second {
			break
		}
	}
	for _, s := range served {
		t.Errorf("a request of the other origin was served: %s", s)
	}
	if seen < 5 {
		t.Errorf("the browser reported %d responses to the other origin's requests: the check proves nothing", seen)
	}
	if _, err := os.Stat(dec); err == nil {
		t.Fatal("the other origin's requests changed the decisions")
	}
	// The control page, which allows caching.
	nav(attackOrigin + "/cached")

	// 5. A short review: decide, add, mark reviewed, finish.
	nav(origin + base)
	must := func(what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, steps...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	status := func(want string) chromedp.Action[chromedp.Void] {
		return poll(`document.getElementById("status").textContent.includes(` + jsString(want) + `)`)
	}
	for i := range len(files) {
		must("review a document", chromedp.WaitVisible(chromedp.CSS(`mark[data-item]`)), chromedp.Evaluate[chromedp.Void](`document.getElementById("doc").focus()`),
			chromedp.KeyEvent("M"), poll(`document.getElementById("progress").dataset.reviewed === "`+fmt.Sprint(i+1)+`"`))
	}
	// Look at every page image too (rendered through pipes).
	must("open the PDF", chromedp.Click(chromedp.Search(`//button[contains(., "referral_letter.pdf")]`)),
		poll(`document.querySelector(".page img") && document.querySelector(".page img").complete && document.querySelector(".page img").naturalWidth > 500`))
	must("finish", chromedp.Evaluate[chromedp.Void](`window.confirm = () => true`), chromedp.Click(chromedp.ID("finish")), status("The review is finished"))
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("veil review did not stop")
	}
	// Close the browser as a person does, so that it writes what it keeps.
	if err := chromedp.Cancel(bctx); err != nil {
		t.Logf("closing the browser: %v", err)
	}
	cancelAlloc()

	// Only the decisions file is new; nothing else changed.
	after := trees(t, veilTrees...)
	var added, changed []string
	for p, h := range after {
		switch b, ok := before[p]; {
		case !ok:
			added = append(added, p)
		case b != h:
			changed = append(changed, p)
		}
	}
	for p := range before {
		if _, ok := after[p]; !ok {
			changed = append(changed, p+" (removed)")
		}
	}
	sort.Strings(added)
	if len(added) != 1 || added[0] != dec || len(changed) != 0 {
		t.Errorf("files written besides the decisions file: added %v, changed %v", added, changed)
	}
	if b, err := os.ReadFile(dec); err != nil || containsAny(string(b), values) {
		t.Errorf("the decisions file: %v, or it holds plain text", err)
	}
	// Nothing of the case in the browser's folders; the control is there.
	// The browser has exited; give its last writes a moment anyway
	// before looking for the control.
	var found []string
	var control bool
	for wait := time.Now(); ; time.Sleep(500 * time.Millisecond) {
		found, control = scanFor(t, values, marker, dirs["profile"], dirs["chrome-home"], dirs["chrome-tmp"])
		if control || time.Since(wait) > 10*time.Second {
			break
		}
	}
	for _, f := range found {
		t.Errorf("a value of the case is on disk in the browser's folders: %s", f)
	}
	if !control {
		t.Error("the control page, which allows caching, is not found in the browser's folders: the search proves nothing")
	}
}

// attackPage is served by another origin (another port of 127.0.0.1):
// with the review page's address and path in its fragment, it tries to
// read the case, to change a decision, to finish the review and to load a
// page image, as a malicious page open in the same browser could.
const attackPage = `<!doctype html><title>other origin</title><script>
(async () => {
  const target = location.hash.slice(1);
  const out = [];
  const tryit = async (what, f) => { try { out.push(what + ": " + await f()); } catch (e) { out.push(what + ": failed " + e.name); } };
  await tryit("read", async () => { const r = await fetch(target + "api/case", { credentials: "include" }); return "READ:" + await r.text(); });
  await tryit("read no-cors", async () => { const r = await fetch(target + "api/doc/0", { credentials: "include", mode: "no-cors" }); return "opaque " + r.type; });
  await tryit("decide", async () => { const r = await fetch(target + "api/decide", { method: "POST", credentials: "include", mode: "no-cors",
    headers: { "Content-Type": "text/plain" }, body: JSON.stringify({ doc: 0, verdict: "accept-rest" }) }); return "opaque " + r.type; });
  await tryit("decide json", async () => { const r = await fetch(target + "api/decide", { method: "POST", credentials: "include",
    headers: { "Content-Type": "application/json" }, body: JSON.stringify({ doc: 0, verdict: "accept-rest" }) }); return "READ:" + r.status; });
  await tryit("finish", async () => { const r = await fetch(target + "api/finish", { method: "POST", credentials: "include", mode: "no-cors",
    headers: { "Content-Type": "text/plain" }, body: "{}" }); return "opaque " + r.type; });
  await tryit("image", () => new Promise((ok, no) => { const i = new Image(); i.onload = () => ok("READ: loaded"); i.onerror = () => ok("refused"); i.src = target + "page/2/1.png"; }));
  await tryit("frame", () => new Promise((ok) => { const f = document.createElement("iframe"); f.src = target;
    f.onload = () => { try { ok("READ:" + f.contentDocument.body.innerText); } catch (e) { ok("refused"); } }; document.body.append(f); }));
  window.attackDone = out.join("\n");
})();
</script>`

// checkBrowserHeaders: the response the browser got is never to be
// stored and carries the page's policy.
func checkBrowserHeaders(t *testing.T, what string, resp *network.Response) {
	t.Helper()
	h := map[string]string{}
	for k, v := range resp.Headers {
		h[strings.ToLower(k)] = fmt.Sprint(v)
	}
	if h["cache-control"] != "no-store" || h["content-security-policy"] != review.CSP {
		t.Errorf("%s: Cache-Control %q, CSP %q", strings.SplitN(what, "?", 2)[0], h["cache-control"], h["content-security-policy"])
	}
}

func containsAny(s string, values []string) bool {
	for _, v := range values {
		if strings.Contains(s, v) {
			return true
		}
	}
	return false
}

// trees returns every file and folder under dirs with its size, mode and
// content hash (a missing dir is empty).
func trees(t *testing.T, dirs ...string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, d := range dirs {
		err := filepath.WalkDir(d, func(p string, e fs.DirEntry, err error) error {
			if err != nil {
				if os.IsNotExist(err) {
					return nil
				}
				return err
			}
			fi, err := e.Info()
			if err != nil {
				return err
			}
			v := fi.Mode().String()
			if fi.Mode().IsRegular() {
				b, err := os.ReadFile(p)
				if err != nil {
					return err
				}
				v += fmt.Sprintf(" %d %x", len(b), b)
			}
			out[p] = v
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// scanFor searches every file under dirs for the values (UTF-8, UTF-16LE
// and UTF-16BE, as browsers store some text) and the control marker; it
// returns where values were found (the file and the kind of value, never
// the value), and whether the marker was.
func scanFor(t *testing.T, values []string, marker string, dirs ...string) (found []string, control bool) {
	t.Helper()
	enc := func(s string) [][]byte {
		u := utf16.Encode([]rune(s))
		le, be := make([]byte, 2*len(u)), make([]byte, 2*len(u))
		for i, c := range u {
			le[2*i], le[2*i+1] = byte(c), byte(c>>8)
			be[2*i], be[2*i+1] = byte(c>>8), byte(c)
		}
		return [][]byte{[]byte(s), le, be}
	}
	for _, d := range dirs {
		filepath.WalkDir(d, func(p string, e fs.DirEntry, err error) error {
			if err != nil || !e.Type().IsRegular() {
				return nil
			}
			b, err := os.ReadFile(p)
			if err != nil {
				return nil
			}
			for i, v := range values {
				for _, x := range enc(v) {
					if bytes.Contains(b, x) {
						found = append(found, fmt.Sprintf("%s (value %d)", strings.TrimPrefix(p, d), i))
					}
				}
			}
			for _, x := range enc(marker) {
				control = control || bytes.Contains(b, x)
			}
			return nil
		})
	}
	return found, control
}
