package email_test

import (
	"encoding/base64"
	"fmt"
	"mime"
	"mime/quotedprintable"
	"strings"

	"github.com/veilhq/veil/redactors/docx/docxtest"
	"github.com/veilhq/veil/redactors/pdf/pdftest"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
)

// The people of these fixtures are invented. Every value in secrets must
// be gone from every output (headers, bodies, attachments, names).
const (
	client      = "Teodora Vasquez-Lindqvist"
	clientFirst = "Teodora"
	clientEmail = "teodora.vasquez@lindqvist-family.example"
	therapist   = "Ignatius Pemberton"
	therapistEm = "i.pemberton@harborview-clinic.example"
	sister      = "Renée Marchetti-Dulac" // Latin-1
	jpName      = "森川美咲"                  // in JIS X 0208
	mrn         = "MRN 48213977"
	phone       = "(503) 555-0147"
	clinicHost  = "mx7.harborview-clinic.example"
	clinicIP    = "198.51.100.73"
	msgDomain   = "harborview-clinic.example"
	attName     = "Vasquez-Lindqvist"
	grandparent = "Augustin Feldmoser"
)

// secrets are the values the tests redact (by finding them in the parts,
// as the pipeline's detectors would) and the judge looks for.
var secrets = []string{client, clientFirst, clientEmail, therapist, therapistEm, sister, jpName, mrn, phone,
	clinicHost, clinicIP, msgDomain, attName, grandparent, "Lindqvist", "Pemberton", "Marchetti"}

func b64(data []byte) string {
	s := base64.StdEncoding.EncodeToString(data)
	var b strings.Builder
	for len(s) > 76 {
		b.WriteString(s[:76] + "\r\n")
		s = s[76:]
	}
	return b.String() + s + "\r\n"
}

func qp(s string) string {
	var b strings.Builder
	w := quotedprintable.NewWriter(&b)
	w.Write([]byte(s))
	w.Close()
	return b.String()
}

func crlf(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\n", "\r\n")
}

// commonHeaders are the headers of a message from the client to the
// therapist, with encoded words (B and Q, UTF-8 and ISO-8859-1), a
// Received line with host and IP, an X-header and message ids.
func commonHeaders(subject string) string {
	return crlf(fmt.Sprintf(`Received: from %s (%s [%s])
	by mail.example.net with ESMTPS id 4Xk2; Tue, 3 Mar 2026 09:14:07 +0000
From: %s <%s>
To: %s <%s>
Cc: %s <sister@example.org>
Reply-To: %s
Subject: %s
Date: Tue, 3 Mar 2026 09:14:05 +0000
Message-ID: <CAF8x2k.4471@%s>
In-Reply-To: <prev.991@%s>
X-Originating-IP: [%s]
X-Patient-Record: %s
MIME-Version: 1.0
`, clinicHost, clinicHost, clinicIP,
		mime.BEncoding.Encode("utf-8", client), clientEmail,
		mime.QEncoding.Encode("utf-8", therapist), therapistEm,
		qLatin1(sister),
		clientEmail,
		subject,
		msgDomain, msgDomain, clinicIP, mrn))
}

// fixAlternative is a multipart/alternative message with a plain and an
// HTML body (a name split by markup, a mailto link, a title attribute).
func fixAlternative() []byte {
	plain := fmt.Sprintf("Dear %s,\n\nyour next session is on Thursday. Please call %s.\n%s\n", therapist, phone, client)
	html := fmt.Sprintf(`<html><head><title>Note for Teodora</title></head><body>
<p>Dear Ignatius <b>Pemberton</b>,</p>
<p>please write to <a href="mailto:%s" title="%s">my address</a> &amp; call %s.</p>
<!-- sent for %s -->
<p>%s</p></body></html>
`, clientEmail, client, phone, grandparent, mrn)
	return []byte(commonHeaders(mime.QEncoding.Encode("utf-8", "Session with "+client+" – follow-up")) + crlf(`Content-Type: multipart/alternative; boundary="alt-1"

This is a multi-part message in MIME format.
--alt-1
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: quoted-printable

`) + crlf(qp(plain)) + crlf(`
--alt-1
Content-Type: text/html; charset=utf-8
Content-Transfer-Encoding: base64

`) + b64([]byte(html)) + crlf(`--alt-1--
`))
}

// fixAttachments is a multipart/mixed message with a text attachment (file
// name in RFC 2231 continuations), a DOCX and a PDF.
func fixAttachments() []byte {
	doc := docxtest.Doc{
		Body: docxtest.P("Intake form for "+client) + docxtest.P("Record "+mrn+", phone "+phone),
		Core: "<dc:creator>" + therapist + "</dc:creator>",
	}.Build()
	pdf := pdftest.OnePage("Referral letter", "Patient: "+client, mrn)
	return []byte(commonHeaders("Intake documents") + crlf(`Content-Type: multipart/mixed; boundary="mix-1"

--mix-1
Content-Type: text/plain; charset=us-ascii

Attached: the intake form and the referral.
--mix-1
Content-Type: text/plain; charset=utf-8
Content-Disposition: attachment;
 filename*0*=utf-8''notes_Teodora_;
 filename*1*=Vasquez-Lindqvist.txt

Notes about `+client+`, grandson of `+grandparent+`.
--mix-1
Content-Type: application/vnd.openxmlformats-officedocument.wordprocessingml.document;
 name="intake_`+attName+`.docx"
Content-Disposition: attachment; filename="intake_`+attName+`.docx"
Content-Transfer-Encoding: base64

`) + b64(doc) + crlf(`--mix-1
Content-Type: application/pdf; name="=?utf-8?Q?referral=5FPemberton.pdf?="
Content-Disposition: attachment; filename="=?utf-8?Q?referral=5FPemberton.pdf?="
Content-Transfer-Encoding: base64

`) + b64(pdf) + crlf(`--mix-1--
`))
}

// fixForward is a message that forwards a message that forwards a
// message (message/rfc822 inside message/rfc822).
func fixForward() []byte {
	inner := crlf(fmt.Sprintf(`From: %s <%s>
To: %s
Subject: Re: appointment
Message-ID: <inner.1@%s>
Content-Type: text/plain; charset=utf-8

Hi, %s will come with %s. Phone %s.
`, grandparent, "augustin@feldmoser.example", therapistEm, msgDomain, client, sister, phone))
	middle := crlf(fmt.Sprintf(`From: %s
To: office@example.org
Subject: Fwd: appointment
Content-Type: multipart/mixed; boundary="fw-2"

--fw-2
Content-Type: text/plain

See below (%s).
--fw-2
Content-Type: message/rfc822

`, therapistEm, mrn)) + inner + crlf(`--fw-2--
`)
	return []byte(commonHeaders("Fwd: Fwd: appointment") + crlf(`Content-Type: multipart/mixed; boundary="fw-1"

--fw-1
Content-Type: text/plain

Forwarding the thread about `+clientFirst+`.
--fw-1
Content-Type: message/rfc822
Content-Disposition: attachment; filename="thread.eml"

`) + middle + crlf(`--fw-1--
`))
}

// fixCharsets has a Windows-1252 quoted-printable body, an ISO-2022-JP
// body and an ISO-8859-1 Q-encoded subject.
func fixCharsets() []byte {
	w1252, err := charmap.Windows1252.NewEncoder().String(fmt.Sprintf("“%s” visited %s’s sister %s.\n", client, clientFirst, sister))
	if err != nil {
		panic(err)
	}
	jis, err := japanese.ISO2022JP.NewEncoder().String(jpName + "さんの記録 " + mrn + "\n")
	if err != nil {
		panic(err)
	}
	return []byte(commonHeaders(qLatin1("Für "+sister)) + crlf(`Content-Type: multipart/mixed; boundary="cs-1"

--cs-1
Content-Type: text/plain; charset=windows-1252
Content-Transfer-Encoding: quoted-printable

`) + crlf(qp(w1252)) + crlf(`
--cs-1
Content-Type: text/plain; charset=ISO-2022-JP
Content-Transfer-Encoding: 7bit

`) + crlf(jis) + crlf(`--cs-1
Content-Type: text/calendar; charset=utf-8; method=REQUEST

BEGIN:VCALENDAR
BEGIN:VEVENT
SUMMARY:Session `+clientFirst+`
ATTENDEE;CN="Teodora Vasquez-Lind
 qvist":mailto:`+clientEmail+`
END:VEVENT
END:VCALENDAR
--cs-1--
`))
}

// fixSigned is an S/MIME signed message.
func fixSigned() []byte {
	return []byte(commonHeaders("Signed note") + crlf(`Content-Type: multipart/signed; protocol="application/pkcs7-signature"; micalg=sha-256; boundary="sig-1"

--sig-1
Content-Type: text/plain

Signed by `+therapist+`.
--sig-1
Content-Type: application/pkcs7-signature; name="smime.p7s"
Content-Transfer-Encoding: base64
Content-Disposition: attachment; filename="smime.p7s"

MIAGCSqGSIb3DQEHAqCAMIACAQExDzANBglghkgBZQMEAgEFADCABgkqhkiG9w0BBwEAAKCAMIIE
--sig-1--
`))
}

// fixEncrypted is an S/MIME encrypted message.
func fixEncrypted() []byte {
	return []byte(commonHeaders("Encrypted") + crlf(`Content-Type: application/pkcs7-mime; smime-type=enveloped-data; name="smime.p7m"
Content-Transfer-Encoding: base64

MIAGCSqGSIb3DQEHA6CAMIACAQAxggFQMIIBTAIBADA0MCwxKjAoBgNVBAMTIWFkbWluQGV4YW1w
`))
}

// fixImage has an attachment that no format reads (a PNG).
func fixImage() []byte {
	return []byte(commonHeaders("Photo") + crlf(`Content-Type: multipart/mixed; boundary="img-1"

--img-1
Content-Type: text/plain

A photo of `+client+`.
--img-1
Content-Type: image/png; name="photo_`+attName+`.png"
Content-Disposition: attachment; filename="photo_`+attName+`.png"
Content-Transfer-Encoding: base64

`) + b64([]byte(docxtest.PNG())) + crlf(`--img-1--
`))
}

// fixBrokenBoundary is a multipart whose closing boundary is missing.
func fixBrokenBoundary() []byte {
	return []byte(commonHeaders("Broken") + crlf(`Content-Type: multipart/mixed; boundary="brk-1"

--brk-1
Content-Type: text/plain

First part about `+client+`.
--brk-1
Content-Type: text/plain

Second part, cut off
`))
}

// fixWrongBoundary declares a boundary that does not occur.
func fixWrongBoundary() []byte {
	return []byte(commonHeaders("Broken") + crlf(`Content-Type: multipart/mixed; boundary="declared"

--other
Content-Type: text/plain

About `+client+`.
--other--
`))
}

// fixHugeClaim declares a 1 GiB attachment.
func fixHugeClaim() []byte {
	return []byte(commonHeaders("Big") + crlf(`Content-Type: multipart/mixed; boundary="big-1"

--big-1
Content-Type: text/plain

See attached.
--big-1
Content-Type: application/pdf; name="scan.pdf"
Content-Disposition: attachment; filename="scan.pdf"; size=1073741824
Content-Transfer-Encoding: base64

JVBERi0xLjQK
--big-1--
`))
}

// fixPlainLF is a simple message with LF line ends (as saved on Unix).
func fixPlainLF() []byte {
	return []byte(strings.ReplaceAll(commonHeaders("Hello "+clientFirst), "\r\n", "\n") +
		"Content-Type: text/plain; charset=iso-8859-1\nContent-Transfer-Encoding: 8bit\n\n" +
		must(charmap.ISO8859_1.NewEncoder().String("Grüße an "+sister+" und "+client+".\n")))
}

func must(s string, err error) string {
	if err != nil {
		panic(err)
	}
	return s
}

// qLatin1 writes s as one Q-encoded word in ISO-8859-1 (Go's encoder
// writes the bytes it is given: UTF-8).
func qLatin1(s string) string {
	b := must(charmap.ISO8859_1.NewEncoder().String(s))
	var out strings.Builder
	out.WriteString("=?iso-8859-1?q?")
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch {
		case c == ' ':
			out.WriteByte('_')
		case c > ' ' && c < 0x7f && c != '=' && c != '?' && c != '_':
			out.WriteByte(c)
		default:
			fmt.Fprintf(&out, "=%02X", c)
		}
	}
	return out.String() + "?="
}

// fixDataURI is an HTML body with an image embedded as a data: URI.
func fixDataURI() []byte {
	return []byte(commonHeaders("Inline") + crlf(`Content-Type: text/html; charset=utf-8

<p>Hello `+client+`</p><img alt="scan" src="data:image/png;base64,`+base64.StdEncoding.EncodeToString([]byte(docxtest.PNG()))+`">
`))
}
