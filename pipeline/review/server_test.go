package review

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/veilhq/veil/pipeline"
	"github.com/veilhq/veil/pipeline/storage"
	"github.com/veilhq/veil/profiles"
)

// Every name, number and place here is invented.
const note = "Client: Odile Brannigan\nCall (503) 555-0183 to reschedule.\nAt the allotment she is the marrow queen.\n"

// testServer proposes a one-file case and serves it; saved receives every
// decisions file written.
type testServer struct {
	*Server
	keys  *profiles.Keys
	path  string
	mu    sync.Mutex
	saves int
}

func startServer(t *testing.T, files map[string]string) *testServer {
	t.Helper()
	src := t.TempDir()
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(src, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	p, err := profiles.Load("supervision")
	if err != nil {
		t.Fatal(err)
	}
	e, err := pipeline.NewEngine(pipeline.Options{Profile: p, NoNER: true})
	if err != nil {
		t.Fatal(err)
	}
	st, err := storage.NewLocal(src)
	if err != nil {
		t.Fatal(err)
	}
	props, err := pipeline.Propose(context.Background(), pipeline.ReviewConfig{Engine: e, Source: st})
	if err != nil {
		t.Fatal(err)
	}
	keys, err := profiles.NewKeys([]byte("a key for the review server tests"))
	if err != nil {
		t.Fatal(err)
	}
	ts := &testServer{keys: keys, path: filepath.Join(t.TempDir(), "case.veildec")}
	s, err := New(Config{Proposals: props, Profile: p, Reviewer: "R. Tester", Save: func(ds *pipeline.Decisions) error {
		ts.mu.Lock()
		ts.saves++
		ts.mu.Unlock()
		return ds.SaveFile(ts.path, keys)
	}})
	if err != nil {
		t.Fatal(err)
	}
	ts.Server = s
	ln, err := s.Listen()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	return ts
}

// do sends a request; mod changes it before it goes.
func (ts *testServer) do(t *testing.T, method, path string, body any, mod func(*http.Request)) (*http.Response, string) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	// Paths are the page's (below its base), except those starting with
	// "//", which are the server's own ("//?t=" is "/?t=").
	if rest, ok := strings.CutPrefix(path, "//"); ok {
		path = "/" + rest
	} else {
		path = strings.TrimSuffix(ts.Base(), "/") + path
	}
	req, err := http.NewRequest(method, ts.Origin()+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Origin", ts.Origin())
	}
	if mod != nil {
		mod(req)
	}
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func (ts *testServer) cookie(r *http.Request) {
	r.AddCookie(&http.Cookie{Name: CookieName, Value: ts.Token()})
}

// Every response, refusals included, carries the strict policy and is
// never cached.
func checkHeaders(t *testing.T, what string, resp *http.Response) {
	t.Helper()
	if got := resp.Header.Get("Content-Security-Policy"); got != CSP {
		t.Errorf("%s: CSP %q", what, got)
	}
	if !strings.Contains(CSP, "default-src 'none'") || strings.Contains(CSP, "unsafe-inline") || strings.Contains(CSP, "http") {
		t.Errorf("CSP is not strict: %s", CSP)
	}
	if got := resp.Header.Get("Cache-Control"); got != "no-store" {
		t.Errorf("%s: Cache-Control %q", what, got)
	}
	if resp.Header.Get("X-Content-Type-Options") != "nosniff" || resp.Header.Get("X-Frame-Options") != "DENY" {
		t.Errorf("%s: headers %v", what, resp.Header)
	}
}

// Without the token nothing is served: not the page, not its assets, not
// the API, not a page image; a wrong token is no better.
func TestTokenRequired(t *testing.T) {
	ts := startServer(t, map[string]string{"note.txt": note})
	for _, path := range []string{"//", "/", "/assets/app.js", "/assets/app.css", "/assets/icon.svg", "/api/case", "/api/doc/0", "/page/0/1.png", "/nothing", "//favicon.ico"} {
		resp, body := ts.do(t, "GET", path, nil, nil)
		if resp.StatusCode != http.StatusForbidden || strings.Contains(body, "Brannigan") {
			t.Errorf("GET %s without token: %d %q", path, resp.StatusCode, body)
		}
		checkHeaders(t, "GET "+path, resp)
		resp, _ = ts.do(t, "GET", path, nil, func(r *http.Request) {
			r.AddCookie(&http.Cookie{Name: CookieName, Value: ts.Token()[:20] + "x"})
		})
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("GET %s with a wrong token: %d", path, resp.StatusCode)
		}
	}
	resp, _ := ts.do(t, "POST", "/api/decide", map[string]any{"doc": 0, "verdict": "accept-rest"}, nil)
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("POST without token: %d", resp.StatusCode)
	}
	if len(ts.Decisions().Documents) != 0 {
		t.Error("a request without the token changed the decisions")
	}
}

// The first visit trades the token of the URL for an HttpOnly,
// SameSite=Strict cookie and drops it from the address; the cookie then
// opens everything.
func TestTokenCookie(t *testing.T) {
	ts := startServer(t, map[string]string{"note.txt": note})
	resp, _ := ts.do(t, "GET", "//?t="+ts.Token(), nil, nil)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != ts.Base() {
		t.Fatalf("first visit: %d, Location %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	checkHeaders(t, "first visit", resp)
	var c *http.Cookie
	for _, k := range resp.Cookies() {
		if k.Name == CookieName {
			c = k
		}
	}
	// The cookie goes to the page's random path only: browsers send a
	// host's cookies to all its ports.
	if c == nil || c.Value != ts.Token() || !c.HttpOnly || c.SameSite != http.SameSiteStrictMode || c.Path != ts.Base() || len(ts.Base()) < 10 {
		t.Fatalf("cookie %+v", c)
	}
	if resp, _ := ts.do(t, "GET", "//api/case", nil, ts.cookie); resp.StatusCode != http.StatusNotFound {
		t.Errorf("the API outside the page's path: %d", resp.StatusCode)
	}
	for path, want := range map[string]string{"/": "<script src=\"assets/app.js\"", "/assets/app.js": "use strict", "/api/doc/0": "Brannigan"} {
		resp, body := ts.do(t, "GET", path, nil, ts.cookie)
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, want) {
			t.Errorf("GET %s with the cookie: %d", path, resp.StatusCode)
		}
		checkHeaders(t, "GET "+path, resp)
	}
	// The page has no inline script or style for the policy to allow.
	_, page := ts.do(t, "GET", "/", nil, ts.cookie)
	if strings.Contains(page, "<script>") || strings.Contains(page, "style=") || strings.Contains(page, "<style") || strings.Contains(page, "http") {
		t.Errorf("the page has inline code or a link elsewhere:\n%s", page)
	}
}

// Another host name for the address (DNS rebinding), another origin, a
// cross-site fetch, and a write without an Origin are refused.
func TestHostAndOrigin(t *testing.T) {
	ts := startServer(t, map[string]string{"note.txt": note})
	_, port, _ := strings.Cut(ts.Origin(), "127.0.0.1:")
	for _, host := range []string{"attacker.example:" + port, "localhost:" + port, "127.0.0.1", "127.0.0.1:1"} {
		resp, _ := ts.do(t, "GET", "/api/case", nil, func(r *http.Request) { ts.cookie(r); r.Host = host })
		if resp.StatusCode != http.StatusMisdirectedRequest {
			t.Errorf("Host %s: %d", host, resp.StatusCode)
		}
		checkHeaders(t, "Host "+host, resp)
	}
	for _, origin := range []string{"http://attacker.example", "http://localhost:" + port, "null", "https://127.0.0.1:" + port} {
		resp, _ := ts.do(t, "GET", "/api/case", nil, func(r *http.Request) { ts.cookie(r); r.Header.Set("Origin", origin) })
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("GET with Origin %s: %d", origin, resp.StatusCode)
		}
		resp, _ = ts.do(t, "POST", "/api/decide", map[string]any{"doc": 0, "verdict": "accept-rest"}, func(r *http.Request) {
			ts.cookie(r)
			r.Header.Set("Origin", origin)
		})
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("POST with Origin %s: %d", origin, resp.StatusCode)
		}
	}
	resp, _ := ts.do(t, "POST", "/api/decide", map[string]any{"doc": 0, "verdict": "accept-rest"}, func(r *http.Request) {
		ts.cookie(r)
		r.Header.Del("Origin")
	})
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("POST without Origin: %d", resp.StatusCode)
	}
	resp, _ = ts.do(t, "GET", "/api/case", nil, func(r *http.Request) { ts.cookie(r); r.Header.Set("Sec-Fetch-Site", "cross-site") })
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("cross-site fetch: %d", resp.StatusCode)
	}
	if len(ts.Decisions().Documents) != 0 {
		t.Error("a refused request changed the decisions")
	}
	// The same request from the page itself goes through.
	resp, _ = ts.do(t, "POST", "/api/decide", map[string]any{"doc": 0, "verdict": "accept-rest"}, func(r *http.Request) {
		ts.cookie(r)
		r.Header.Set("Sec-Fetch-Site", "same-origin")
	})
	if resp.StatusCode != http.StatusOK {
		t.Errorf("POST from the page: %d", resp.StatusCode)
	}
}

// Decisions made through the API are saved as they are made, sealed with
// the key, and read back as the reviewer made them.
func TestDecisionsSealedRoundTrip(t *testing.T) {
	ts := startServer(t, map[string]string{"note.txt": note})
	_, body := ts.do(t, "GET", "/api/doc/0", nil, ts.cookie)
	var doc docPayload
	if err := json.Unmarshal([]byte(body), &doc); err != nil {
		t.Fatal(err)
	}
	phone := -1
	for _, c := range doc.Changes {
		if c.Entity == "PHONE" {
			phone = c.ID
		}
	}
	if phone < 0 {
		t.Fatalf("no phone proposed: %+v", doc.Changes)
	}
	text := doc.Parts[0].Text
	at := strings.Index(text, "marrow queen")
	steps := []map[string]any{
		{"doc": 0, "verdict": "reject", "change": phone},
		{"doc": 0, "verdict": "add", "part": 0, "start": at - 1, "end": at + len("marrow queen") + 1, "entity": "PERSON", "scope": "case"},
	}
	for _, s := range steps {
		resp, body := ts.do(t, "POST", "/api/decide", s, ts.cookie)
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, "saved") {
			t.Fatalf("%v: %d %s", s, resp.StatusCode, body)
		}
	}
	if resp, _ := ts.do(t, "POST", "/api/reviewed", map[string]any{"doc": 0, "reviewed": true}, ts.cookie); resp.StatusCode != http.StatusOK {
		t.Fatalf("reviewed: %d", resp.StatusCode)
	}
	raw, err := os.ReadFile(ts.path)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(raw, []byte("Brannigan")) || bytes.Contains(raw, []byte("marrow")) || bytes.Contains(raw, []byte("555")) {
		t.Fatal("the decisions file holds plaintext")
	}
	fi, _ := os.Stat(ts.path)
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v", fi.Mode().Perm())
	}
	ds, err := pipeline.LoadDecisionsFile(ts.path, ts.keys)
	if err != nil {
		t.Fatal(err)
	}
	if ds.Profile != "supervision" || ds.Reviewer != "R. Tester" || len(ds.Documents) != 1 || !ds.Documents[0].Reviewed {
		t.Fatalf("decisions %+v", ds)
	}
	got := map[string]pipeline.Decision{}
	for _, x := range ds.Documents[0].Decisions {
		got[string(x.Verdict)] = x
	}
	if r := got["reject"]; r.Value != "(503) 555-0183" || r.Entity != "PHONE" || r.Scope != pipeline.ScopeDocument || r.Part != "body" {
		t.Errorf("reject %+v", r)
	}
	// The selection had a space on each side: the value is trimmed.
	if a := got["add"]; a.Value != "marrow queen" || a.Entity != "PERSON" || a.Scope != pipeline.ScopeCase || text[a.Start:a.End] != "marrow queen" {
		t.Errorf("add %+v", a)
	}
	ts.mu.Lock()
	saves := ts.saves
	ts.mu.Unlock()
	if saves != 3 {
		t.Errorf("%d saves for 3 changes", saves)
	}
	// Undo takes a decision back.
	key := pipeline.DecisionKey("PHONE", "(503) 555-0183")
	if resp, _ := ts.do(t, "POST", "/api/decide", map[string]any{"doc": 0, "verdict": "undo", "key": key}, ts.cookie); resp.StatusCode != http.StatusOK {
		t.Fatalf("undo: %d", resp.StatusCode)
	}
	if ds, _ := pipeline.LoadDecisionsFile(ts.path, ts.keys); len(ds.Documents[0].Decisions) != 1 {
		t.Errorf("after undo: %+v", ds.Documents[0].Decisions)
	}
}

// Bad requests are refused and change nothing.
func TestBadRequests(t *testing.T) {
	ts := startServer(t, map[string]string{"note.txt": note})
	for _, body := range []map[string]any{
		{"doc": 5, "verdict": "accept-rest"},
		{"doc": 0, "verdict": "accept", "change": 999},
		{"doc": 0, "verdict": "maybe"},
		{"doc": 0, "verdict": "add", "part": 0, "start": 0, "end": 3, "entity": "NOT_AN_ENTITY"},
		{"doc": 0, "verdict": "add", "part": 0, "start": 7, "end": 8, "entity": "PERSON"}, // a space
		{"doc": 0, "verdict": "add", "part": 0, "start": 0, "end": 100000, "entity": "PERSON"},
		{"doc": 0, "verdict": "accept-rest", "extra": true},
	} {
		if resp, _ := ts.do(t, "POST", "/api/decide", body, ts.cookie); resp.StatusCode != http.StatusBadRequest {
			t.Errorf("%v: %d", body, resp.StatusCode)
		}
	}
	if resp, _ := ts.do(t, "POST", "/api/decide", map[string]any{"doc": 0, "verdict": "accept-rest"}, func(r *http.Request) {
		ts.cookie(r)
		r.Header.Set("Content-Type", "text/plain")
	}); resp.StatusCode != http.StatusUnsupportedMediaType {
		t.Errorf("text/plain: %d", resp.StatusCode)
	}
	if len(ts.Decisions().Documents) != 0 {
		t.Error("a bad request changed the decisions")
	}
}

// Offsets go between the page (UTF-16) and the pipeline (bytes) exactly,
// also past letters outside the BMP.
func TestOffsets(t *testing.T) {
	s := "a é 😀 Zoë"
	b2u := byteToUTF16(s)
	for b := range len(s) + 1 {
		if u := b2u[b]; u >= 0 {
			if back := utf16ToByte(s, int(u)); back != b {
				t.Errorf("byte %d -> utf16 %d -> byte %d", b, u, back)
			}
		}
	}
	if utf16ToByte(s, 5) != -1 { // inside the surrogate pair of 😀
		t.Error("a UTF-16 offset inside a surrogate pair maps to a byte")
	}
	if got := utf16ToByte(s, 7); got < 0 || s[got:] != "Zoë" {
		t.Errorf("utf16 7 -> byte %d", got)
	}
}

// Offsets round-trip for any text, and a selection always lands on rune
// boundaries inside the text.
func FuzzOffsets(f *testing.F) {
	f.Add("a é 😀 Zoë", 3, 9)
	f.Fuzz(func(t *testing.T, s string, a, b int) {
		if !utf8.ValidString(s) {
			return
		}
		b2u := byteToUTF16(s)
		for i := range len(s) + 1 {
			if u := b2u[i]; u >= 0 && utf16ToByte(s, int(u)) != i {
				t.Fatalf("byte %d -> %d -> %d", i, u, utf16ToByte(s, int(u)))
			}
		}
		start, end := utf16ToByte(s, a), utf16ToByte(s, b)
		if start < 0 || end < 0 || start >= end {
			return
		}
		ts, te := trimSpan(s, start, end)
		if ts < start || te > end || ts > te || !utf8.ValidString(s[ts:te]) {
			t.Fatalf("trimSpan(%d, %d) = %d, %d", start, end, ts, te)
		}
	})
}

// A value checked in another document (accepted there, or left as
// proposed in a document marked reviewed) is shown as seen, not new; a
// value rejected there is not.
func TestCheckedElsewhere(t *testing.T) {
	ts := startServer(t, map[string]string{"a.txt": note, "b.txt": note})
	doc := func(i int) docPayload {
		_, body := ts.do(t, "GET", "/api/doc/"+strconv.Itoa(i), nil, ts.cookie)
		var d docPayload
		if err := json.Unmarshal([]byte(body), &d); err != nil {
			t.Fatal(err)
		}
		return d
	}
	fresh := func(i int) int {
		_, body := ts.do(t, "GET", "/api/case", nil, ts.cookie)
		var cv caseView
		if err := json.Unmarshal([]byte(body), &cv); err != nil {
			t.Fatal(err)
		}
		return cv.Docs[i].Fresh
	}
	b := doc(1)
	if len(b.Elsewhere) != 0 || fresh(1) != len(distinct(b.Changes)) {
		t.Fatalf("before any review: elsewhere %v, fresh %d", b.Elsewhere, fresh(1))
	}
	phone := -1
	for _, c := range doc(0).Changes {
		if c.Entity == "PHONE" {
			phone = c.ID
		}
	}
	if resp, _ := ts.do(t, "POST", "/api/decide", map[string]any{"doc": 0, "verdict": "reject", "change": phone}, ts.cookie); resp.StatusCode != http.StatusOK {
		t.Fatal(resp.Status)
	}
	if resp, _ := ts.do(t, "POST", "/api/reviewed", map[string]any{"doc": 0, "reviewed": true}, ts.cookie); resp.StatusCode != http.StatusOK {
		t.Fatal(resp.Status)
	}
	b = doc(1)
	keys := distinct(b.Changes)
	for k := range keys {
		want := 1
		if strings.HasPrefix(k, "PHONE") {
			want = 0 // rejected in a.txt: still new here
		}
		if b.Elsewhere[k] != want {
			t.Errorf("%s: checked in %d other documents, want %d", k, b.Elsewhere[k], want)
		}
	}
	if fresh(1) != 1 {
		t.Errorf("%d new values in b.txt, want 1 (the number rejected in a.txt)", fresh(1))
	}
}

func distinct(cs []changeView) map[string]bool {
	out := map[string]bool{}
	for _, c := range cs {
		out[c.Key] = true
	}
	return out
}
