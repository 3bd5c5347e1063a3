package review

import (
	"net/http"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/veilhq/veil/ner"
	"github.com/veilhq/veil/pipeline"
	"github.com/veilhq/veil/redactors"
)

// The page addresses text the way JavaScript strings do: offsets count
// UTF-16 code units. The pipeline counts bytes. docView converts once.

// docView is one proposal as the page shows it.
type docView struct {
	p       *pipeline.Proposal
	b2u     [][]int32 // per part: UTF-16 offset of every byte offset (rune starts)
	changes []changeView
	kept    []keptView
	keys    map[string]bool // the keys of the proposed changes
}

type box struct {
	X0 float64 `json:"x0"`
	Y0 float64 `json:"y0"`
	X1 float64 `json:"x1"`
	Y1 float64 `json:"y1"`
}

type changeView struct {
	ID          int     `json:"id"`
	Part        int     `json:"part"`
	Start       int     `json:"start"`
	End         int     `json:"end"`
	VStart      int     `json:"vstart"`
	VEnd        int     `json:"vend"`
	Key         string  `json:"key"`
	Value       string  `json:"value"`
	Entity      string  `json:"entity"`
	Description string  `json:"description"`
	Rule        string  `json:"rule"`
	Score       float64 `json:"score"`
	Action      string  `json:"action"`
	Replacement string  `json:"replacement"`
	Basis       string  `json:"basis"`
	Boxes       []box   `json:"boxes,omitempty"`
	// byte offsets of the value
	vs, ve int
}

type keptView struct {
	ID          int     `json:"id"`
	Part        int     `json:"part"`
	Start       int     `json:"start"`
	End         int     `json:"end"`
	Key         string  `json:"key"`
	Value       string  `json:"value"`
	Entity      string  `json:"entity"`
	Description string  `json:"description"`
	Rule        string  `json:"rule"`
	Score       float64 `json:"score"`
	Boxes       []box   `json:"boxes,omitempty"`
}

func boxes(rs []redactors.Rect) []box {
	var out []box
	for _, r := range rs {
		out = append(out, box{r.X0, r.Y0, r.X1, r.Y1})
	}
	return out
}

func newDocView(_ int, p *pipeline.Proposal) *docView {
	v := &docView{p: p, keys: map[string]bool{}}
	for _, part := range p.Parts {
		v.b2u = append(v.b2u, byteToUTF16(part.Text))
	}
	u := func(part, b int) int { return int(v.b2u[part][b]) }
	for i, c := range p.Changes {
		text := p.Parts[c.Part].Text
		v.changes = append(v.changes, changeView{
			ID: i, Part: c.Part, Start: u(c.Part, c.Start), End: u(c.Part, c.End), VStart: u(c.Part, c.ValueStart), VEnd: u(c.Part, c.ValueEnd),
			Key: pipeline.DecisionKey(ner.Entity(c.Entity), text[c.ValueStart:c.ValueEnd]), Value: text[c.ValueStart:c.ValueEnd],
			Entity: c.Entity, Description: ner.Entity(c.Entity).Description(), Rule: c.Rule, Score: c.Score,
			Action: c.Action, Replacement: c.Replacement, Basis: c.Basis, Boxes: boxes(c.Boxes), vs: c.ValueStart, ve: c.ValueEnd,
		})
	}
	for _, c := range v.changes {
		v.keys[c.Key] = true
	}
	for i, k := range p.Kept {
		text := p.Parts[k.Part].Text
		v.kept = append(v.kept, keptView{
			ID: i, Part: k.Part, Start: u(k.Part, k.Start), End: u(k.Part, k.End),
			Key: pipeline.DecisionKey(ner.Entity(k.Entity), text[k.Start:k.End]), Value: text[k.Start:k.End],
			Entity: k.Entity, Description: ner.Entity(k.Entity).Description(), Rule: k.Rule, Score: k.Score, Boxes: boxes(k.Boxes),
		})
	}
	return v
}

// byteToUTF16 returns, for every byte offset of s that starts a rune (and
// len(s)), the UTF-16 offset; other entries are -1.
func byteToUTF16(s string) []int32 {
	out := make([]int32, len(s)+1)
	u := int32(0)
	for i := range out {
		out[i] = -1
	}
	for i, r := range s {
		out[i] = u
		u += int32(utf16.RuneLen(r))
	}
	out[len(s)] = u
	return out
}

// utf16ToByte returns the byte offset of UTF-16 offset u in s, or -1 when u
// is not a rune boundary or beyond the text.
func utf16ToByte(s string, u int) int {
	if u < 0 {
		return -1
	}
	n := 0
	for i, r := range s {
		if n == u {
			return i
		}
		if n > u {
			return -1
		}
		n += utf16.RuneLen(r)
	}
	if n == u {
		return len(s)
	}
	return -1
}

// caseView is the list of documents with their progress.
type caseView struct {
	Profile    string     `json:"profile"`
	Reviewer   string     `json:"reviewer"`
	Categories []category `json:"categories"`
	Notices    []string   `json:"notices"`
	Dropped    int        `json:"dropped"`
	Saved      bool       `json:"saved"`
	SaveError  string     `json:"save_error,omitempty"`
	Docs       []docItem  `json:"docs"`
}

type docItem struct {
	Index   int    `json:"index"`
	Key     string `json:"key"`
	Format  string `json:"format"`
	Status  string `json:"status"`
	Items   int    `json:"items"`   // distinct proposed values
	Decided int    `json:"decided"` // of them, with a verdict
	// Fresh: of the values without a verdict, those not checked in
	// another document (what is new to read here).
	Fresh    int  `json:"fresh"`
	Added    int  `json:"added"`
	Reviewed bool `json:"reviewed"`
}

func (s *Server) caseView() caseView {
	s.mu.Lock()
	defer s.mu.Unlock()
	cv := caseView{Profile: s.cfg.Profile.Name, Reviewer: s.cfg.Reviewer, Categories: s.cats, Notices: s.cfg.Notices,
		Dropped: s.dropped, Saved: s.saved, SaveError: s.saveErr}
	caseWide := s.caseWideLocked()
	for i, d := range s.docs {
		it := docItem{Index: i, Key: d.p.SourceKey, Format: d.p.Format, Status: d.p.Status, Reviewed: s.state[i].reviewed}
		seen := map[string]bool{}
		for _, c := range d.changes {
			if seen[c.Key] {
				continue
			}
			seen[c.Key] = true
			it.Items++
			if _, ok := s.verdictLocked(i, c.Key, caseWide); ok {
				it.Decided++
			} else if s.checkedElsewhereLocked(i, c.Key, caseWide) == 0 {
				it.Fresh++
			}
		}
		it.Added = len(s.addsLocked(i, caseWide))
		cv.Docs = append(cv.Docs, it)
	}
	return cv
}

// caseWideLocked returns the case-wide decisions by key, with the document
// each was made in.
func (s *Server) caseWideLocked() map[string]placed {
	out := map[string]placed{}
	for i, st := range s.state {
		for k, x := range st.decisions {
			if x.Scope == pipeline.ScopeCase {
				out[k] = placed{x, i}
			}
		}
	}
	return out
}

type placed struct {
	pipeline.Decision
	doc int
}

// verdictLocked returns the decision that applies to key in document i:
// the document's own, else a case-wide one (the run's precedence).
func (s *Server) verdictLocked(i int, key string, caseWide map[string]placed) (placed, bool) {
	if x, ok := s.state[i].decisions[key]; ok {
		return placed{x, i}, true
	}
	x, ok := caseWide[key]
	return x, ok
}

// checkedElsewhereLocked returns in how many other documents a person
// checked the proposal of key and let it stand: accepted it there, or
// marked that document reviewed without rejecting it. The page shows such
// values as already seen, so that a reviewer reads what is new first; it
// decides nothing (each document keeps its own decisions).
func (s *Server) checkedElsewhereLocked(i int, key string, caseWide map[string]placed) int {
	n := 0
	for j, d := range s.docs {
		if j == i || !d.keys[key] {
			continue
		}
		x, ok := s.verdictLocked(j, key, caseWide)
		if ok && x.Verdict == pipeline.Accept || !ok && s.state[j].reviewed {
			n++
		}
	}
	return n
}

// addsLocked returns the additions that apply to document i, sorted.
func (s *Server) addsLocked(i int, caseWide map[string]placed) []placed {
	var out []placed
	for _, x := range s.state[i].decisions {
		if x.Verdict == pipeline.Add {
			out = append(out, placed{x, i})
		}
	}
	for k, x := range caseWide {
		if _, own := s.state[i].decisions[k]; !own && x.Verdict == pipeline.Add {
			out = append(out, x)
		}
	}
	sort.Slice(out, func(a, b int) bool { return out[a].Key() < out[b].Key() })
	return out
}

// docPayload is everything the page shows of one document.
type docPayload struct {
	Index     int                `json:"index"`
	Key       string             `json:"key"`
	OutputKey string             `json:"output_key"`
	Format    string             `json:"format"`
	Status    string             `json:"status"`
	Reason    string             `json:"reason,omitempty"`
	Detail    string             `json:"detail,omitempty"`
	Notes     []string           `json:"notes,omitempty"`
	Pages     int                `json:"pages"`
	Images    bool               `json:"images"`
	Parts     []partView         `json:"parts"`
	Changes   []changeView       `json:"changes"`
	Kept      []keptView         `json:"kept"`
	Adds      []addView          `json:"adds"`
	Verdicts  map[string]verdict `json:"verdicts"`
	// Elsewhere counts, per key of a proposal, the other documents where
	// it was checked (checkedElsewhereLocked); keys checked nowhere else
	// are left out.
	Elsewhere map[string]int `json:"elsewhere"`
	Reviewed  bool           `json:"reviewed"`
	Saved     bool           `json:"saved"`
	SaveError string         `json:"save_error,omitempty"`
}

type partView struct {
	Name string `json:"name"`
	Page int    `json:"page"`
	Text string `json:"text"`
}

type verdict struct {
	Verdict string `json:"verdict"`
	Scope   string `json:"scope"`
	// Here: made in this document (else a case-wide decision made in
	// another one).
	Here bool `json:"here"`
}

type addView struct {
	Key         string `json:"key"`
	Value       string `json:"value"`
	Entity      string `json:"entity"`
	Description string `json:"description"`
	Scope       string `json:"scope"`
	Here        bool   `json:"here"`
	Spans       []span `json:"spans"`
}

type span struct {
	Part  int `json:"part"`
	Start int `json:"start"`
	End   int `json:"end"`
}

func (s *Server) docPayload(i int) docPayload {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.docPayloadLocked(i)
}

func (s *Server) docPayloadLocked(i int) docPayload {
	d := s.docs[i]
	p := d.p
	out := docPayload{Index: i, Key: p.SourceKey, OutputKey: p.OutputKey, Format: p.Format, Status: p.Status, Reason: p.Reason,
		Detail: p.Detail, Notes: p.Notes, Pages: p.Pages, Images: p.Pages > 0 && s.cfg.Render != nil,
		Changes: d.changes, Kept: d.kept, Verdicts: map[string]verdict{}, Elsewhere: map[string]int{}, Reviewed: s.state[i].reviewed,
		Saved: s.saved, SaveError: s.saveErr, Adds: []addView{}}
	if out.Changes == nil {
		out.Changes = []changeView{}
	}
	if out.Kept == nil {
		out.Kept = []keptView{}
	}
	for _, part := range p.Parts {
		out.Parts = append(out.Parts, partView{part.Name, part.Page, part.Text})
	}
	caseWide := s.caseWideLocked()
	keys := map[string]bool{}
	for _, c := range d.changes {
		keys[c.Key] = true
	}
	for _, k := range d.kept {
		keys[k.Key] = true
	}
	adds := s.addsLocked(i, caseWide)
	for _, a := range adds {
		keys[a.Key()] = true
	}
	for k := range d.keys {
		if n := s.checkedElsewhereLocked(i, k, caseWide); n > 0 {
			out.Elsewhere[k] = n
		}
	}
	for k := range keys {
		if x, ok := s.verdictLocked(i, k, caseWide); ok {
			out.Verdicts[k] = verdict{Verdict: string(x.Verdict), Scope: string(x.Scope), Here: x.doc == i}
		}
	}
	if len(adds) > 0 {
		phrases := make([]ner.Phrase, len(adds))
		for k, a := range adds {
			phrases[k] = ner.Phrase{Keys: ner.Fold(a.Value)}
		}
		m := ner.NewPhraseMatcher(phrases)
		views := make([]addView, len(adds))
		for k, a := range adds {
			views[k] = addView{Key: a.Key(), Value: a.Value, Entity: a.Entity, Description: ner.Entity(a.Entity).Description(),
				Scope: string(a.Scope), Here: a.doc == i, Spans: []span{}}
		}
		for pi, part := range p.Parts {
			for _, mt := range m.FindAll(part.Text) {
				views[mt.Index].Spans = append(views[mt.Index].Spans, span{pi, int(d.b2u[pi][mt.Start]), int(d.b2u[pi][mt.End])})
			}
		}
		out.Adds = views
	}
	return out
}

// decideRequest is a reviewer's action on one document.
type decideRequest struct {
	Doc int `json:"doc"`
	// Verdict: accept, reject, add, undo, or accept-rest (accept every
	// proposal of the document that has no verdict yet).
	Verdict string `json:"verdict"`
	// Scope: document (default) or case.
	Scope string `json:"scope,omitempty"`
	// Change names a proposed change (accept, reject); Kept a kept finding
	// (add); Part, Start and End a selection (add, UTF-16 offsets); Key a
	// decision to undo.
	Change *int   `json:"change,omitempty"`
	Kept   *int   `json:"kept,omitempty"`
	Part   *int   `json:"part,omitempty"`
	Start  int    `json:"start,omitempty"`
	End    int    `json:"end,omitempty"`
	Key    string `json:"key,omitempty"`
	Entity string `json:"entity,omitempty"`
}

type decideResponse struct {
	Doc     docPayload `json:"doc"`
	Message string     `json:"message"`
}

// maxAdd is the longest text a reviewer can add as one redaction (bytes).
const maxAdd = 400

func (s *Server) handleDecide(w http.ResponseWriter, r *http.Request) {
	var req decideRequest
	if !readJSON(w, r, &req) {
		return
	}
	if req.Doc < 0 || req.Doc >= len(s.docs) {
		http.Error(w, "no such document", http.StatusBadRequest)
		return
	}
	scope := pipeline.ScopeDocument
	switch req.Scope {
	case "", string(pipeline.ScopeDocument):
	case string(pipeline.ScopeCase):
		scope = pipeline.ScopeCase
	default:
		http.Error(w, "bad scope", http.StatusBadRequest)
		return
	}
	d := s.docs[req.Doc]
	s.mu.Lock()
	defer s.mu.Unlock()
	var msg string
	switch req.Verdict {
	case "accept", "reject":
		if req.Change == nil || *req.Change < 0 || *req.Change >= len(d.changes) {
			http.Error(w, "no such proposal", http.StatusBadRequest)
			return
		}
		c := d.changes[*req.Change]
		p := d.p.Changes[c.ID]
		s.setLocked(req.Doc, pipeline.Decision{Verdict: pipeline.Verdict(req.Verdict), Scope: scope, Entity: c.Entity, Value: c.Value,
			Rule: c.Rule, Part: d.p.Parts[p.Part].Name, Start: c.vs, End: c.ve})
		n := 0
		for _, o := range d.changes {
			if o.Key == c.Key {
				n++
			}
		}
		msg = verdictMessage(req.Verdict, scope, c.Description, n)
	case "add":
		var value, part string
		var start, end int
		switch {
		case req.Kept != nil:
			if *req.Kept < 0 || *req.Kept >= len(d.kept) {
				http.Error(w, "no such finding", http.StatusBadRequest)
				return
			}
			k := d.p.Kept[*req.Kept]
			value, part, start, end = d.p.Parts[k.Part].Text[k.Start:k.End], d.p.Parts[k.Part].Name, k.Start, k.End
		case req.Part != nil && *req.Part >= 0 && *req.Part < len(d.p.Parts):
			text := d.p.Parts[*req.Part].Text
			start, end = utf16ToByte(text, req.Start), utf16ToByte(text, req.End)
			if start < 0 || end < 0 || start >= end {
				http.Error(w, "the selection is not in the text", http.StatusBadRequest)
				return
			}
			start, end = trimSpan(text, start, end)
			value, part = text[start:end], d.p.Parts[*req.Part].Name
		default:
			http.Error(w, "add needs a selection or a finding", http.StatusBadRequest)
			return
		}
		if len(ner.Fold(value)) == 0 || len(value) > maxAdd {
			http.Error(w, "select a word or a phrase (up to a few lines)", http.StatusBadRequest)
			return
		}
		if !s.addable(req.Entity) {
			http.Error(w, "choose a category this profile redacts", http.StatusBadRequest)
			return
		}
		s.setLocked(req.Doc, pipeline.Decision{Verdict: pipeline.Add, Scope: scope, Entity: req.Entity, Value: value, Part: part, Start: start, End: end})
		msg = "Added a redaction (" + ner.Entity(req.Entity).Description() + ")"
		if scope == pipeline.ScopeCase {
			msg += " everywhere in the case"
		}
	case "undo":
		if !s.undoLocked(req.Doc, req.Key) {
			http.Error(w, "nothing to undo", http.StatusBadRequest)
			return
		}
		msg = "Decision undone"
	case "accept-rest":
		caseWide := s.caseWideLocked()
		n := 0
		for _, c := range d.changes {
			if _, ok := s.verdictLocked(req.Doc, c.Key, caseWide); ok {
				continue
			}
			p := d.p.Changes[c.ID]
			s.setLocked(req.Doc, pipeline.Decision{Verdict: pipeline.Accept, Entity: c.Entity, Value: c.Value, Rule: c.Rule,
				Part: d.p.Parts[p.Part].Name, Start: c.vs, End: c.ve})
			n++
		}
		msg = "Accepted " + plural(n, "remaining proposal")
	default:
		http.Error(w, "bad verdict", http.StatusBadRequest)
		return
	}
	if err := s.saveLocked(false); err != nil {
		msg += "; the decisions file could not be saved: " + err.Error()
	} else {
		msg += "; saved"
	}
	s.writeJSON(w, decideResponse{Doc: s.docPayloadLocked(req.Doc), Message: msg})
}

// setLocked records decision x in document i; a case-wide decision
// replaces case-wide decisions about the same value in other documents.
func (s *Server) setLocked(i int, x pipeline.Decision) {
	key := x.Key()
	if x.Scope == pipeline.ScopeCase {
		for j := range s.state {
			if y, ok := s.state[j].decisions[key]; ok && j != i && y.Scope == pipeline.ScopeCase {
				delete(s.state[j].decisions, key)
			}
		}
	}
	s.state[i].decisions[key] = x
	s.saved = false
}

// undoLocked removes the decision about key that applies in document i.
func (s *Server) undoLocked(i int, key string) bool {
	if _, ok := s.state[i].decisions[key]; ok {
		delete(s.state[i].decisions, key)
		s.saved = false
		return true
	}
	if x, ok := s.caseWideLocked()[key]; ok {
		delete(s.state[x.doc].decisions, key)
		s.saved = false
		return true
	}
	return false
}

func (s *Server) addable(entity string) bool {
	for _, c := range s.cats {
		if c.Entity == entity {
			return true
		}
	}
	return false
}

// trimSpan drops white space and punctuation around a selection; brackets
// stay when the value holds their pair ("(503) 555-0183").
func trimSpan(text string, start, end int) (int, int) {
	for start < end {
		r, n := utf8.DecodeRuneInString(text[start:])
		if !unicode.IsSpace(r) && !(unicode.IsPunct(r) && !(r == '(' && strings.ContainsRune(text[start:end], ')'))) {
			break
		}
		start += n
	}
	for end > start {
		r, n := utf8.DecodeLastRuneInString(text[:end])
		if !unicode.IsSpace(r) && !(unicode.IsPunct(r) && !(r == ')' && strings.ContainsRune(text[start:end], '('))) {
			break
		}
		end -= n
	}
	return start, end
}

func verdictMessage(v string, scope pipeline.Scope, what string, n int) string {
	verb := map[string]string{"accept": "Accepted", "reject": "Rejected (kept as written)"}[v]
	where := "in this document"
	if scope == pipeline.ScopeCase {
		where = "everywhere in the case"
	}
	return verb + ": " + what + ", " + plural(n, "place") + " " + where
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return strconv.Itoa(n) + " " + what + "s"
}

type reviewedRequest struct {
	Doc      int  `json:"doc"`
	Reviewed bool `json:"reviewed"`
}

func (s *Server) handleReviewed(w http.ResponseWriter, r *http.Request) {
	var req reviewedRequest
	if !readJSON(w, r, &req) {
		return
	}
	if req.Doc < 0 || req.Doc >= len(s.docs) {
		http.Error(w, "no such document", http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.state[req.Doc].reviewed = req.Reviewed
	s.saved = false
	msg := "Marked as not reviewed"
	if req.Reviewed {
		msg = "Marked as reviewed"
	}
	if err := s.saveLocked(false); err != nil {
		msg += "; the decisions file could not be saved: " + err.Error()
	} else {
		msg += "; saved"
	}
	s.writeJSON(w, decideResponse{Doc: s.docPayloadLocked(req.Doc), Message: msg})
}

type saveResponse struct {
	Message string `json:"message"`
	Saved   bool   `json:"saved"`
}

func (s *Server) handleSave(w http.ResponseWriter, r *http.Request, finish bool) {
	var req struct{}
	if !readJSON(w, r, &req) {
		return
	}
	s.mu.Lock()
	err := s.saveLocked(true)
	s.mu.Unlock()
	resp := saveResponse{Message: "Decisions saved", Saved: err == nil}
	if err != nil {
		resp.Message = "The decisions file could not be saved: " + err.Error()
	} else if finish {
		resp.Message = "Decisions saved. The review is finished: you can close this page."
	}
	s.writeJSON(w, resp)
	if finish && err == nil {
		s.finish.Do(func() { close(s.finished) })
	}
}
