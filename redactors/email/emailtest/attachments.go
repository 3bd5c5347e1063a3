package emailtest

import (
	"bytes"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/mail"
)

// AttachmentNames reads, with the standard library alone (net/mail, mime,
// mime/multipart), the Content-Type name and the Content-Disposition
// filename of every top-level part of message b that has a
// Content-Disposition, two values a part in that order (empty when
// absent), encoded words decoded. It is a reading independent of the
// email package, for tests that judge what a redacted message's
// attachments are called. Errors name the operation only.
func AttachmentNames(b []byte) ([]string, error) {
	m, err := mail.ReadMessage(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("emailtest: reading the message: %w", err)
	}
	_, params, err := mime.ParseMediaType(m.Header.Get("Content-Type"))
	if err != nil {
		return nil, fmt.Errorf("emailtest: reading the message's Content-Type: %w", err)
	}
	dec := mime.WordDecoder{}
	mr := multipart.NewReader(m.Body, params["boundary"])
	var out []string
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("emailtest: reading a part: %w", err)
		}
		if p.Header.Get("Content-Disposition") == "" {
			continue
		}
		_, cp, _ := mime.ParseMediaType(p.Header.Get("Content-Type"))
		_, dp, _ := mime.ParseMediaType(p.Header.Get("Content-Disposition"))
		for _, v := range []string{cp["name"], dp["filename"]} {
			if s, err := dec.DecodeHeader(v); err == nil {
				v = s
			}
			out = append(out, v)
		}
	}
	return out, nil
}
