package email

import (
	"bytes"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/mail"
	"net/textproto"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/veilhq/veil/redactors"
	"golang.org/x/net/html"
	"golang.org/x/text/encoding/htmlindex"
)

// Leaks implements redactors.LeakChecker. It reads the output again with
// code that shares nothing with Parts: the standard library's net/mail,
// mime/multipart (raw parts), mime.WordDecoder and mime.ParseMediaType,
// its own transfer and charset decoding. It searches the raw bytes, every
// header raw and decoded (address names and addresses too), every
// parameter, every body decoded (HTML also without its tags, calendars
// unfolded), and every attachment through its format's Parts and
// LeakChecker. An output it cannot read is an error: what cannot be read
// cannot be verified.
func (d *Document) Leaks(data []byte, find func(text string) bool) ([]string, error) {
	lr := &leakReader{find: find, reg: d.c.reg, opts: d.c.opts, hits: map[string]bool{}}
	data, err := d.asMessage(data)
	if err != nil {
		return nil, err
	}
	if err := lr.message(data, "", 0); err != nil {
		return nil, err
	}
	return lr.places(), nil
}

type leakReader struct {
	find func(string) bool
	reg  *redactors.Registry
	opts Options
	hits map[string]bool
	// attached, if set, is given every entity that is not a multipart,
	// decoded, instead of the checks above (PixelLeaks).
	attached func(pos, mtype, name string, decoded []byte) error
}

func (lr *leakReader) places() []string {
	out := make([]string, 0, len(lr.hits))
	for p := range lr.hits {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

func (lr *leakReader) check(place, text string) {
	if text != "" && lr.find(strings.ToValidUTF8(text, " ")) {
		lr.hits[place] = true
	}
}

func decodeWords(s string) string {
	if t, err := indWords.DecodeHeader(s); err == nil {
		return t
	}
	return s
}

func join(place, sub string) string {
	if place == "" {
		return sub
	}
	return place + "/" + sub
}

func (lr *leakReader) message(data []byte, place string, depth int) error {
	if depth > lr.opts.Limits.orDefault().MaxDepth+1 {
		return fmt.Errorf("email: verify: messages nested too deep: %w", redactors.ErrTooLarge)
	}
	lr.check(join(place, "raw"), string(data))
	if bytes.HasPrefix(data, []byte("From ")) {
		i := bytes.IndexByte(data, '\n')
		if i < 0 {
			i = len(data) - 1
		}
		data = data[i+1:]
	}
	m, err := mail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		return fmt.Errorf("email: verify: %s does not read as a message: %w", orMessage(place), redactors.ErrCorrupt)
	}
	hp := join(place, "headers")
	for k, vs := range m.Header {
		lr.check(hp, k)
		for _, v := range vs {
			lr.check(hp, v)
			lr.check(hp, decodeWords(v))
			if list, err := m.Header.AddressList(k); err == nil {
				for _, a := range list {
					lr.check(hp, a.Name)
					lr.check(hp, a.Address)
				}
			}
		}
	}
	body, err := io.ReadAll(m.Body)
	if err != nil {
		return err
	}
	return lr.entity(textproto.MIMEHeader(m.Header), body, place, "", depth)
}

func orMessage(place string) string {
	if place == "" {
		return "the output"
	}
	return place
}

var (
	tagRE   = regexp.MustCompile(`(?s)<[^>]*>`)
	spaceRE = regexp.MustCompile(`\s+`)
)

func (lr *leakReader) entity(h textproto.MIMEHeader, body []byte, place, pos string, depth int) error {
	here := join(place, "part "+pos)
	if pos == "" {
		here = join(place, "body")
	}
	for k, vs := range h {
		for _, v := range vs {
			lr.check(here, k+": "+v)
			lr.check(here, decodeWords(v))
		}
	}
	mt, params, err := mime.ParseMediaType(h.Get("Content-Type"))
	if err != nil {
		mt, params = "text/plain", map[string]string{}
	}
	_, dparams, _ := mime.ParseMediaType(h.Get("Content-Disposition"))
	var name string
	for _, ps := range []map[string]string{params, dparams} {
		for k, v := range ps {
			lr.check(here, v)
			lr.check(here, decodeWords(v))
			if k == "filename" || k == "name" {
				name = decodeWords(v)
				lr.check(here, strings.ReplaceAll(name, "_", " "))
			}
		}
	}
	if strings.HasPrefix(mt, "multipart/") {
		lr.check(here, string(body))
		mr := multipart.NewReader(bytes.NewReader(body), params["boundary"])
		for k := 1; ; k++ {
			p, err := mr.NextRawPart()
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return fmt.Errorf("email: verify: %s: multipart does not read: %w", here, redactors.ErrCorrupt)
			}
			b, err := io.ReadAll(p)
			if err != nil {
				return fmt.Errorf("email: verify: %s: multipart does not read: %w", here, redactors.ErrCorrupt)
			}
			cpos := strconv.Itoa(k)
			if pos != "" {
				cpos = pos + "." + cpos
			}
			if err := lr.entity(p.Header, b, place, cpos, depth); err != nil {
				return err
			}
		}
	}
	decoded, err := transferDecode(h.Get("Content-Transfer-Encoding"), body)
	if err != nil {
		return fmt.Errorf("email: verify: %s: %v: %w", here, err, redactors.ErrCorrupt)
	}
	if lr.attached != nil {
		return lr.attached(pos, mt, name, decoded)
	}
	lr.check(here, string(decoded))
	switch {
	case mt == "message/rfc822" || mt == "message/global" || strings.HasSuffix(strings.ToLower(name), ".eml"):
		return lr.message(decoded, here, depth+1)
	case strings.HasPrefix(mt, "text/") || strings.HasPrefix(mt, "message/"):
		text := string(decoded)
		if cs := strings.ToLower(params["charset"]); cs != "" && cs != "utf-8" && cs != "us-ascii" {
			enc, err := htmlindex.Get(cs)
			if err != nil {
				return fmt.Errorf("email: verify: %s: unknown charset: %w", here, redactors.ErrEncoding)
			}
			t, err := enc.NewDecoder().String(text)
			if err != nil {
				return fmt.Errorf("email: verify: %s: text does not decode: %w", here, redactors.ErrEncoding)
			}
			text = t
		}
		lr.check(here, text)
		lr.check(here, html.UnescapeString(tagRE.ReplaceAllString(text, " ")))
		lr.check(here, html.UnescapeString(tagRE.ReplaceAllString(text, "")))
		lr.check(here, spaceRE.ReplaceAllString(html.UnescapeString(tagRE.ReplaceAllString(text, " ")), " "))
		lr.check(here, strings.NewReplacer("\r\n ", "", "\r\n\t", "", "\n ", "", "\n\t", "").Replace(text))
		return nil
	}
	// An attachment: through its format.
	ext := strings.ToLower(path.Ext(name))
	if ext == "" {
		ext = typeExt[mt]
	}
	var f redactors.Format
	if ext == ".msg" {
		f = NewMSG(lr.reg, lr.opts)
	} else if lr.reg != nil {
		f, _ = lr.reg.ForKey("x" + ext)
	}
	if f == nil {
		return fmt.Errorf("email: verify: %s: attachment of a type that cannot be read: %w", here, redactors.ErrUninspectable)
	}
	doc, err := f.Parse(decoded)
	if err != nil {
		return fmt.Errorf("email: verify: %s (%s): attachment does not parse: %w", here, f.Name(), err)
	}
	sub := join(place, "part "+pos+" ("+f.Name()+")")
	for _, p := range doc.Parts() {
		lr.check(sub+": "+p.Name, p.Text)
	}
	if lc, ok := doc.(redactors.LeakChecker); ok {
		where, err := lc.Leaks(decoded, lr.find)
		if err != nil {
			return fmt.Errorf("email: verify: %s (%s): %w", here, f.Name(), err)
		}
		for _, w := range where {
			lr.hits[sub+": "+w] = true
		}
	}
	return nil
}

// asMessage returns data as the message the checks read: an Outlook file
// (never an output: outputs are .eml) as the message it holds, anything
// else as it is.
func (d *Document) asMessage(data []byte) ([]byte, error) {
	if !isOLE(data) {
		return data, nil
	}
	c := &ctx{reg: d.c.reg, opts: d.c.opts, budget: &budget{lim: d.c.opts.Limits.orDefault()}}
	r, err := openMSG(c, data)
	if err != nil {
		return nil, err
	}
	return r.message(r.root, 32, 0)
}
