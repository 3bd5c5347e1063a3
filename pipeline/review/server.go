// Package review serves the review page of veil review: a local web page
// where a person walks through what a run would do to every file of a case
// (pipeline.Propose), accepts or rejects each proposed redaction, adds
// redactions the detectors missed, and marks documents reviewed. The
// decisions are data (pipeline.Decisions), saved through a function the
// caller gives (sealed with the key file).
//
// The page holds original text, so the server is strict: it listens on
// 127.0.0.1 only; every request, assets included, needs the random token
// of the URL printed on the terminal (kept in an HttpOnly, SameSite=Strict
// cookie after the first visit); the Host header must be the server's own
// address (no DNS rebinding) and any Origin its own origin; responses carry
// a strict Content-Security-Policy (no inline script or style, nothing
// from elsewhere) and Cache-Control: no-store. Nothing is written to disk
// but the decisions file; page images are rendered through pipes.
package review

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"embed"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/veilhq/veil/ner"
	"github.com/veilhq/veil/pipeline"
	"github.com/veilhq/veil/profiles"
)

//go:embed assets
var assets embed.FS

// CSP is the Content-Security-Policy of every response: the page's own
// scripts, styles, images and API, nothing else, nothing inline.
const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
	"base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// CookieName is the cookie that carries the token after the first visit.
const CookieName = "veil_review"

// Config configures a Server.
type Config struct {
	// Proposals are the files of the case (pipeline.Propose).
	Proposals []*pipeline.Proposal
	Profile   *profiles.Profile
	Reviewer  string
	// Earlier are decisions of an earlier session to continue from; nil
	// for a new review. Decisions about files that changed since are
	// dropped (Dropped counts them); those about files not in Proposals
	// are kept as they are.
	Earlier *pipeline.Decisions
	// Save writes the decisions (the decisions file). It is called after
	// every change and when the reviewer saves or finishes.
	Save func(*pipeline.Decisions) error
	// Render returns a PNG of page (1-based) of a PDF; nil when page
	// images are not available.
	Render func(ctx context.Context, pdf []byte, page int) ([]byte, error)
	// Notices are statements for every document (what to check by hand).
	Notices []string
}

// Server is the review page. Its handler is safe for concurrent use.
type Server struct {
	cfg   Config
	token string
	// base is the random path the page lives under ("/Xy…/"). The cookie
	// is limited to it: browsers send cookies to every port of a host,
	// so another local program on 127.0.0.1 could otherwise receive it.
	base string
	addr string // host:port it listens on, once Listen has run
	page *template.Template
	cats []category
	docs []*docView

	mu       sync.Mutex
	state    []docState
	orphans  []pipeline.DocumentDecisions // decisions about files not in this case
	dropped  int
	saved    bool // the decisions on disk are the current ones
	saveErr  string
	finished chan struct{}
	finish   sync.Once

	renderMu sync.Mutex
	rendered map[[2]int][]byte
}

// category is an entity a reviewer can add: one the profile changes.
type category struct {
	Entity      string `json:"entity"`
	Description string `json:"description"`
	Action      string `json:"action"`
}

// docState is the reviewer's work on one document.
type docState struct {
	reviewed  bool
	decisions map[string]pipeline.Decision // by pipeline.DecisionKey
}

// New returns a server for the proposals, with a new random token.
func New(cfg Config) (*Server, error) {
	if cfg.Profile == nil || cfg.Save == nil {
		return nil, errors.New("review: no profile or no way to save")
	}
	page, err := template.ParseFS(assets, "assets/index.html")
	if err != nil {
		return nil, fmt.Errorf("review: page template: %w", err)
	}
	s := &Server{
		cfg: cfg, token: random(32), base: "/" + random(12) + "/", page: page,
		state: make([]docState, len(cfg.Proposals)), finished: make(chan struct{}),
		rendered: map[[2]int][]byte{}, saved: true,
	}
	for _, e := range ner.Entities() {
		if r := cfg.Profile.For(e); r.Action != profiles.Keep {
			s.cats = append(s.cats, category{Entity: string(e), Description: e.Description(), Action: string(r.Action)})
		}
	}
	for i, p := range cfg.Proposals {
		s.docs = append(s.docs, newDocView(i, p))
		s.state[i].decisions = map[string]pipeline.Decision{}
	}
	if cfg.Earlier != nil {
		s.load(cfg.Earlier)
	}
	return s, nil
}

// random returns n random bytes, base64url.
func random(n int) string {
	b := make([]byte, n)
	rand.Read(b) // never fails (crypto/rand)
	return base64.RawURLEncoding.EncodeToString(b)
}

// load takes over the decisions of an earlier session.
func (s *Server) load(ds *pipeline.Decisions) {
	byKey := map[string]int{}
	for i, p := range s.cfg.Proposals {
		byKey[p.SourceKey] = i
	}
	for _, d := range ds.Documents {
		i, ok := byKey[d.Key]
		if !ok {
			s.orphans = append(s.orphans, d)
			continue
		}
		if !strings.EqualFold(d.SHA256, s.cfg.Proposals[i].SHA256) {
			s.dropped += len(d.Decisions)
			continue
		}
		s.state[i].reviewed = d.Reviewed
		for _, x := range d.Decisions {
			s.state[i].decisions[x.Key()] = x
		}
	}
	if ds.Reviewer != "" && s.cfg.Reviewer == "" {
		s.cfg.Reviewer = ds.Reviewer
	}
}

// Dropped returns how many decisions of the earlier session were dropped
// because their file changed since.
func (s *Server) Dropped() int { return s.dropped }

// Listen opens a listener on a random port of 127.0.0.1.
func (s *Server) Listen() (net.Listener, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("review: listen: %w", err)
	}
	s.addr = ln.Addr().String()
	return ln, nil
}

// URL is the address to open, with the token; after Listen.
func (s *Server) URL() string { return "http://" + s.addr + "/?t=" + s.token }

// Origin is the page's origin; after Listen.
func (s *Server) Origin() string { return "http://" + s.addr }

// Base is the path the page lives under ("/…/"); the first visit
// redirects there.
func (s *Server) Base() string { return s.base }

// Token returns the token (for tests).
func (s *Server) Token() string { return s.token }

// Finished is closed when the reviewer finishes in the page.
func (s *Server) Finished() <-chan struct{} { return s.finished }

// Serve serves the page on ln until ctx is done or the reviewer finishes,
// then saves the decisions (if they changed) and returns.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case <-ctx.Done():
	case <-s.finished:
	case err := <-errc:
		return fmt.Errorf("review: serve: %w", err)
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	srv.Shutdown(sctx)
	return s.Save()
}

// Save writes the decisions if they changed since the last save.
func (s *Server) Save() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.saveLocked(false)
}

func (s *Server) saveLocked(force bool) error {
	if s.saved && !force {
		return nil
	}
	if err := s.cfg.Save(s.decisionsLocked()); err != nil {
		s.saveErr = err.Error()
		return err
	}
	s.saved, s.saveErr = true, ""
	return nil
}

// Decisions returns the reviewer's decisions so far.
func (s *Server) Decisions() *pipeline.Decisions {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.decisionsLocked()
}

func (s *Server) decisionsLocked() *pipeline.Decisions {
	ds := &pipeline.Decisions{Version: pipeline.DecisionsVersion, Profile: s.cfg.Profile.Name, Reviewer: s.cfg.Reviewer}
	for i, st := range s.state {
		dd := pipeline.DocumentDecisions{Key: s.cfg.Proposals[i].SourceKey, SHA256: s.cfg.Proposals[i].SHA256, Reviewed: st.reviewed}
		for _, x := range st.decisions {
			dd.Decisions = append(dd.Decisions, x)
		}
		ds.Documents = append(ds.Documents, dd)
	}
	ds.Documents = append(ds.Documents, s.orphans...)
	ds.Normalize()
	return ds
}

// ServeHTTP checks every request (host, origin, token) before it routes it.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", CSP)
	h.Set("Cache-Control", "no-store")
	h.Set("Pragma", "no-cache")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	h.Set("Cross-Origin-Resource-Policy", "same-origin")
	if s.addr == "" || r.Host != s.addr {
		// Another name for this address (DNS rebinding) or a proxy.
		http.Error(w, "wrong host", http.StatusMisdirectedRequest)
		return
	}
	if o := r.Header.Get("Origin"); o != "" && o != s.Origin() {
		http.Error(w, "other origins are refused", http.StatusForbidden)
		return
	}
	if site := r.Header.Get("Sec-Fetch-Site"); site != "" && site != "same-origin" && site != "none" {
		http.Error(w, "cross-site requests are refused", http.StatusForbidden)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		// A write must say where it comes from.
		if r.Header.Get("Origin") != s.Origin() {
			http.Error(w, "a request that changes something needs this page's Origin", http.StatusForbidden)
			return
		}
	}
	q := r.URL.Query().Get("t")
	if !s.authorized(r, q) {
		http.Error(w, "forbidden: open the address veil review printed", http.StatusForbidden)
		return
	}
	if q != "" && (r.URL.Path == "/" || r.URL.Path == s.base) && r.Method == http.MethodGet {
		// First visit: keep the token in a cookie for the page's path
		// only, and drop it from the address bar and history.
		http.SetCookie(w, &http.Cookie{Name: CookieName, Value: s.token, Path: s.base, HttpOnly: true, SameSite: http.SameSiteStrictMode})
		http.Redirect(w, r, s.base, http.StatusSeeOther)
		return
	}
	rest, ok := strings.CutPrefix(r.URL.Path, s.base)
	if !ok {
		http.NotFound(w, r)
		return
	}
	s.route(w, r, "/"+rest)
}

// authorized reports whether the request carries the token, in the query
// (q) or the cookie.
func (s *Server) authorized(r *http.Request, q string) bool {
	if q != "" && subtle.ConstantTimeCompare([]byte(q), []byte(s.token)) == 1 {
		return true
	}
	c, err := r.Cookie(CookieName)
	return err == nil && subtle.ConstantTimeCompare([]byte(c.Value), []byte(s.token)) == 1
}

// route serves path p of the page (below base).
func (s *Server) route(w http.ResponseWriter, r *http.Request, p string) {
	switch {
	case p == "/" && r.Method == http.MethodGet:
		s.serveIndex(w)
	case strings.HasPrefix(p, "/assets/") && r.Method == http.MethodGet:
		s.serveAsset(w, r, strings.TrimPrefix(p, "/assets/"))
	case p == "/api/case" && r.Method == http.MethodGet:
		s.writeJSON(w, s.caseView())
	case strings.HasPrefix(p, "/api/doc/") && r.Method == http.MethodGet:
		i, ok := s.docIndex(strings.TrimPrefix(p, "/api/doc/"))
		if !ok {
			http.NotFound(w, r)
			return
		}
		s.writeJSON(w, s.docPayload(i))
	case strings.HasPrefix(p, "/page/") && r.Method == http.MethodGet:
		s.servePage(w, r, strings.TrimPrefix(p, "/page/"))
	case p == "/api/decide" && r.Method == http.MethodPost:
		s.handleDecide(w, r)
	case p == "/api/reviewed" && r.Method == http.MethodPost:
		s.handleReviewed(w, r)
	case p == "/api/save" && r.Method == http.MethodPost:
		s.handleSave(w, r, false)
	case p == "/api/finish" && r.Method == http.MethodPost:
		s.handleSave(w, r, true)
	default:
		http.NotFound(w, r)
	}
}

func (s *Server) serveIndex(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	data := struct {
		Profile string
		Files   int
	}{s.cfg.Profile.Name, len(s.cfg.Proposals)}
	if err := s.page.Execute(w, data); err != nil {
		http.Error(w, "page error", http.StatusInternalServerError)
	}
}

var assetTypes = map[string]string{".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8", ".svg": "image/svg+xml"}

func (s *Server) serveAsset(w http.ResponseWriter, r *http.Request, name string) {
	ct := ""
	for ext, t := range assetTypes {
		if strings.HasSuffix(name, ext) {
			ct = t
		}
	}
	b, err := fs.ReadFile(assets, "assets/"+name)
	if ct == "" || err != nil || strings.Contains(name, "/") {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", ct)
	w.Write(b)
}

func (s *Server) docIndex(v string) (int, bool) {
	i, err := strconv.Atoi(v)
	return i, err == nil && i >= 0 && i < len(s.docs)
}

func (s *Server) servePage(w http.ResponseWriter, r *http.Request, rest string) {
	ds, ps, ok := strings.Cut(strings.TrimSuffix(rest, ".png"), "/")
	i, iok := s.docIndex(ds)
	n, err := strconv.Atoi(ps)
	if !ok || !iok || err != nil || n < 1 || n > s.cfg.Proposals[i].Pages || s.cfg.Render == nil {
		http.NotFound(w, r)
		return
	}
	png, err := s.render(r.Context(), i, n)
	if err != nil {
		http.Error(w, "the page could not be rendered", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "image/png")
	w.Write(png)
}

// render returns page n of document i as PNG, rendering it once (kept in
// memory only).
func (s *Server) render(ctx context.Context, i, n int) ([]byte, error) {
	s.renderMu.Lock()
	defer s.renderMu.Unlock()
	if b, ok := s.rendered[[2]int{i, n}]; ok {
		return b, nil
	}
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	b, err := s.cfg.Render(ctx, s.cfg.Proposals[i].Input, n)
	if err != nil {
		return nil, err
	}
	s.rendered[[2]int{i, n}] = b
	return b, nil
}

func (s *Server) writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	enc.Encode(v)
}

// readJSON decodes a small JSON request body strictly.
func readJSON(w http.ResponseWriter, r *http.Request, v any) bool {
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		http.Error(w, "send JSON", http.StatusUnsupportedMediaType)
		return false
	}
	dec := json.NewDecoder(io.LimitReader(r.Body, 1<<20))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		http.Error(w, "bad request", http.StatusBadRequest)
		return false
	}
	return true
}
