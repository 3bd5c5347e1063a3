package emailtest

import (
	"bytes"
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

// The people of these samples are invented. Every value in secrets must
// be gone from every output (headers, bodies, attachments, names).
const (
	Client      = "Teodora Vasquez-Lindqvist"
	ClientFirst = "Teodora"
	ClientEmail = "teodora.vasquez@lindqvist-family.example"
	Therapist   = "Ignatius Pemberton"
	TherapistEm = "i.pemberton@harborview-clinic.example"
	Sister      = "Renée Marchetti-Dulac" // Latin-1
	JpName      = "森川美咲"                  // in JIS X 0208
	Mrn         = "MRN 48213977"
	Phone       = "(503) 555-0147"
	ClinicHost  = "mx7.harborview-clinic.example"
	ClinicIP    = "198.51.100.73"
	MsgDomain   = "harborview-clinic.example"
	AttName     = "Vasquez-Lindqvist"
	Grandparent = "Augustin Feldmoser"
)

// Secrets are the values the tests redact (by finding them in the parts,
// as the pipeline's detectors would) and the judge looks for.
var Secrets = []string{Client, ClientFirst, ClientEmail, Therapist, TherapistEm, Sister, JpName, Mrn, Phone,
	ClinicHost, ClinicIP, MsgDomain, AttName, Grandparent, "Lindqvist", "Pemberton", "Marchetti"}

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

// commonHeaders are the headers of a message from the Client to the
// Therapist, with encoded words (B and Q, UTF-8 and ISO-8859-1), a
// Received line with host and IP, an X-header and message ids.
func commonHeaders(subject string) string {
	return crlf(fmt.Sprintf(`Received: from %s (%s [%s])
	by mail.example.net with ESMTPS id 4Xk2; Tue, 3 Mar 2026 09:14:07 +0000
From: %s <%s>
To: %s <%s>
Cc: %s <Sister@example.org>
Reply-To: %s
Subject: %s
Date: Tue, 3 Mar 2026 09:14:05 +0000
Message-ID: <CAF8x2k.4471@%s>
In-Reply-To: <prev.991@%s>
X-Originating-IP: [%s]
X-Patient-Record: %s
MIME-Version: 1.0
`, ClinicHost, ClinicHost, ClinicIP,
		mime.BEncoding.Encode("utf-8", Client), ClientEmail,
		mime.QEncoding.Encode("utf-8", Therapist), TherapistEm,
		qLatin1(Sister),
		ClientEmail,
		subject,
		MsgDomain, MsgDomain, ClinicIP, Mrn))
}

// Alternative is a multipart/alternative message with a plain and an
// HTML body (a name split by markup, a mailto link, a title attribute).
func Alternative() []byte {
	plain := fmt.Sprintf("Dear %s,\n\nyour next session is on Thursday. Please call %s.\n%s\n", Therapist, Phone, Client)
	html := fmt.Sprintf(`<html><head><title>Note for Teodora</title></head><body>
<p>Dear Ignatius <b>Pemberton</b>,</p>
<p>please write to <a href="mailto:%s" title="%s">my address</a> &amp; call %s.</p>
<!-- sent for %s -->
<p>%s</p></body></html>
`, ClientEmail, Client, Phone, Grandparent, Mrn)
	return []byte(commonHeaders(mime.QEncoding.Encode("utf-8", "Session with "+Client+" – follow-up")) + crlf(`Content-Type: multipart/alternative; boundary="alt-1"

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

// Attachments is a multipart/mixed message with a text attachment (file
// name in RFC 2231 continuations), a DOCX, a PDF, a Markdown file and an
// Outlook message (written as .eml inside the .eml).
func Attachments() []byte {
	doc := docxtest.Doc{
		Body: docxtest.P("Intake form for "+Client) + docxtest.P("Record "+Mrn+", Phone "+Phone),
		Core: "<dc:creator>" + Therapist + "</dc:creator>",
	}.Build()
	pdf := pdftest.OnePage("Referral letter", "Patient: "+Client, Mrn)
	return []byte(commonHeaders("Intake documents") + crlf(`Content-Type: multipart/mixed; boundary="mix-1"

--mix-1
Content-Type: text/plain; charset=us-ascii

Attached: the intake form and the referral.
--mix-1
Content-Type: text/plain; charset=utf-8
Content-Disposition: attachment;
 filename*0*=utf-8''notes_Teodora_;
 filename*1*=Vasquez-Lindqvist.txt

Notes about `+Client+`, grandson of `+Grandparent+`.
--mix-1
Content-Type: application/vnd.openxmlformats-officedocument.wordprocessingml.document;
 name="intake_`+AttName+`.docx"
Content-Disposition: attachment; filename="intake_`+AttName+`.docx"
Content-Transfer-Encoding: base64

`) + b64(doc) + crlf(`--mix-1
Content-Type: application/pdf; name="=?utf-8?Q?referral=5FPemberton.pdf?="
Content-Disposition: attachment; filename="=?utf-8?Q?referral=5FPemberton.pdf?="
Content-Transfer-Encoding: base64

`) + b64(pdf) + crlf(`--mix-1
Content-Type: text/markdown; charset=utf-8
Content-Disposition: attachment; filename="plan.md"

# Plan for `+Client+`

- call [`+Therapist+`](mailto:`+TherapistEm+`)
--mix-1
Content-Type: application/vnd.ms-outlook; name="earlier.msg"
Content-Disposition: attachment; filename="earlier.msg"
Content-Transfer-Encoding: base64

`) + b64(MSG(false, 0, 0)) + crlf(`--mix-1--
`))
}

// Forward is a message that forwards a message that forwards a
// message (message/rfc822 inside message/rfc822).
func Forward() []byte {
	inner := crlf(fmt.Sprintf(`From: %s <%s>
To: %s
Subject: Re: appointment
Message-ID: <inner.1@%s>
Content-Type: text/plain; charset=utf-8

Hi, %s will come with %s. Phone %s.
`, Grandparent, "augustin@feldmoser.example", TherapistEm, MsgDomain, Client, Sister, Phone))
	middle := crlf(fmt.Sprintf(`From: %s
To: office@example.org
Subject: Fwd: appointment
Content-Type: multipart/mixed; boundary="fw-2"

--fw-2
Content-Type: text/plain

See below (%s).
--fw-2
Content-Type: message/rfc822

`, TherapistEm, Mrn)) + inner + crlf(`--fw-2--
`)
	return []byte(commonHeaders("Fwd: Fwd: appointment") + crlf(`Content-Type: multipart/mixed; boundary="fw-1"

--fw-1
Content-Type: text/plain

Forwarding the thread about `+ClientFirst+`.
--fw-1
Content-Type: message/rfc822
Content-Disposition: attachment; filename="thread.eml"

`) + middle + crlf(`--fw-1--
`))
}

// Charsets has a Windows-1252 quoted-printable body, an ISO-2022-JP
// body and an ISO-8859-1 Q-encoded subject.
func Charsets() []byte {
	w1252, err := charmap.Windows1252.NewEncoder().String(fmt.Sprintf("“%s” visited %s’s Sister %s.\n", Client, ClientFirst, Sister))
	if err != nil {
		panic(err)
	}
	jis, err := japanese.ISO2022JP.NewEncoder().String(JpName + "さんの記録 " + Mrn + "\n")
	if err != nil {
		panic(err)
	}
	return []byte(commonHeaders(qLatin1("Für "+Sister)) + crlf(`Content-Type: multipart/mixed; boundary="cs-1"

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
SUMMARY:Session `+ClientFirst+`
ATTENDEE;CN="Teodora Vasquez-Lind
 qvist":mailto:`+ClientEmail+`
END:VEVENT
END:VCALENDAR
--cs-1--
`))
}

// Signed is an S/MIME signed message.
func Signed() []byte {
	return []byte(commonHeaders("Signed note") + crlf(`Content-Type: multipart/signed; protocol="application/pkcs7-signature"; micalg=sha-256; boundary="sig-1"

--sig-1
Content-Type: text/plain

Signed by `+Therapist+`.
--sig-1
Content-Type: application/pkcs7-signature; name="smime.p7s"
Content-Transfer-Encoding: base64
Content-Disposition: attachment; filename="smime.p7s"

MIAGCSqGSIb3DQEHAqCAMIACAQExDzANBglghkgBZQMEAgEFADCABgkqhkiG9w0BBwEAAKCAMIIE
--sig-1--
`))
}

// Encrypted is an S/MIME encrypted message.
func Encrypted() []byte {
	return []byte(commonHeaders("Encrypted") + crlf(`Content-Type: application/pkcs7-mime; smime-type=enveloped-data; name="smime.p7m"
Content-Transfer-Encoding: base64

MIAGCSqGSIb3DQEHA6CAMIACAQAxggFQMIIBTAIBADA0MCwxKjAoBgNVBAMTIWFkbWluQGV4YW1w
`))
}

// Image has an attachment that no format reads (a PNG).
func Image() []byte {
	return []byte(commonHeaders("Photo") + crlf(`Content-Type: multipart/mixed; boundary="img-1"

--img-1
Content-Type: text/plain

A photo of `+Client+`.
--img-1
Content-Type: image/png; name="photo_`+AttName+`.png"
Content-Disposition: attachment; filename="photo_`+AttName+`.png"
Content-Transfer-Encoding: base64

`) + b64([]byte(docxtest.PNG())) + crlf(`--img-1--
`))
}

// BrokenBoundary is a multipart whose closing boundary is missing.
func BrokenBoundary() []byte {
	return []byte(commonHeaders("Broken") + crlf(`Content-Type: multipart/mixed; boundary="brk-1"

--brk-1
Content-Type: text/plain

First part about `+Client+`.
--brk-1
Content-Type: text/plain

Second part, cut off
`))
}

// WrongBoundary declares a boundary that does not occur.
func WrongBoundary() []byte {
	return []byte(commonHeaders("Broken") + crlf(`Content-Type: multipart/mixed; boundary="declared"

--other
Content-Type: text/plain

About `+Client+`.
--other--
`))
}

// HugeClaim declares a 1 GiB attachment.
func HugeClaim() []byte {
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

// PlainLF is a simple message with LF line ends (as saved on Unix).
func PlainLF() []byte {
	return []byte(strings.ReplaceAll(commonHeaders("Hello "+ClientFirst), "\r\n", "\n") +
		"Content-Type: text/plain; charset=iso-8859-1\nContent-Transfer-Encoding: 8bit\n\n" +
		must(charmap.ISO8859_1.NewEncoder().String("Grüße an "+Sister+" und "+Client+".\n")))
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

// DataURI is an HTML body with an image embedded as a data: URI.
func DataURI() []byte {
	return []byte(commonHeaders("Inline") + crlf(`Content-Type: text/html; charset=utf-8

<p>Hello `+Client+`</p><img alt="scan" src="data:image/png;base64,`+base64.StdEncoding.EncodeToString([]byte(docxtest.PNG()))+`">
`))
}

const idLocation = 0x8005 // a named property's id in this file

// MSG writes an Outlook message: sender, two recipients, plain,
// HTML and RTF bodies, transport headers, a named property, a DOCX
// attachment and an embedded message with its own recipient.
func MSG(rtfOnly bool, attachClaim uint32, rtfClaim uint32) []byte {
	doc := docxtest.Doc{Body: docxtest.P("Summary for " + Client + ", " + Mrn)}.Build()
	top := Props{
		Strs: map[uint16]string{
			PidSubject:    "Referral for " + Client,
			PidSenderName: Therapist, PidSenderSMTP: TherapistEm,
			PidDisplayTo: Client + "; " + Sister,
			PidMessageID: "<AM0PR01.4471@" + MsgDomain + ">",
			PidTransport: "Received: from " + ClinicHost + " ([" + ClinicIP + "])\r\n",
			idLocation:   "Home of " + Grandparent,
		},
		Bins: map[uint16][]byte{
			PidRTF: CompressRTF(`{\rtf1\ansi{\fonttbl{\f0 Arial;}}{\info{\author `+Therapist+`}}\f0 Dear `+ClientFirst+`,\par call `+Phone+`\par}`, rtfClaim),
		},
		Fixed: []Fixed{{ID: PidSubmitTime, Type: TypTime, Value: Filetime}},
	}
	if !rtfOnly {
		top.Strs[PidBody] = "Dear " + Client + ",\r\nplease bring the form. " + Phone + "\r\n"
		top.Bins[PidHTML] = []byte("<html><body><p>Dear <b>" + Client + "</b>, call " + Phone + "</p></body></html>")
	}
	inner := &Message{
		Props: Props{Strs: map[uint16]string{PidSubject: "Earlier note", PidBody: "From " + Grandparent + " about " + Client + "\r\n",
			PidSenderName: Grandparent, PidSenderSMTP: "augustin@feldmoser.example"}},
		Recipients: []Recipient{{Name: Therapist, Address: TherapistEm, Type: 1}},
	}
	return Message{
		Props:      top,
		NamedIDs:   true,
		Recipients: []Recipient{{Name: Client, Address: ClientEmail, Type: 1}, {Name: Sister, Address: "Sister@example.org", Type: 2}},
		Attachments: []Attachment{
			{Name: "intake_" + AttName + ".docx", MIME: "application/vnd.openxmlformats-officedocument.wordprocessingml.document", Data: doc, Claim: attachClaim},
			{Name: "Earlier note.msg", Embedded: inner},
		},
	}.Build()
}

// Mbox is a mailbox of the good fixtures, LF line ends, with a body
// line that starts with "From " (quoted ">From ") and one already quoted
// (">>From ", mboxrd).
func Mbox(bad bool) []byte {
	var b bytes.Buffer
	msgs := [][]byte{Alternative(), Charsets(), Attachments()}
	for i, m := range msgs {
		s := strings.ReplaceAll(string(m), "\r\n", "\n")
		if i == 1 {
			s = strings.Replace(s, "\n\n--cs-1\n", "\n\n>From the desk of "+Therapist+"\n>>From quoted\n--cs-1\n", 1)
		}
		if bad && i == 1 {
			s = strings.Replace(s, "--cs-1--", "", 1)
		}
		b.WriteString("From " + ClientEmail + " Tue Mar  3 09:14:05 2026\n")
		b.WriteString(s)
		if !strings.HasSuffix(s, "\n") {
			b.WriteString("\n")
		}
		b.WriteString("\n")
	}
	return b.Bytes()
}

// Sample is a file for the tests of a format: what it is and what Veil
// must do with it.
type Sample struct {
	Name string // structural: what the sample exercises
	Ext  string // ".eml", ".msg" or ".mbox"
	Data []byte
	// Reason is the code Parse must refuse it with, "" when it is read;
	// once a read sample is redacted (every Secrets value replaced in
	// every part), none of Secrets may remain anywhere in the output.
	Reason string
}

// Samples returns every sample, read and refused ones.
func Samples() []Sample {
	return []Sample{
		{"alternative", ".eml", Alternative(), ""},
		{"attachments", ".eml", Attachments(), ""},
		{"forward", ".eml", Forward(), ""},
		{"charsets", ".eml", Charsets(), ""},
		{"signed", ".eml", Signed(), ""},
		{"plain-lf", ".eml", PlainLF(), ""},
		{"outlook", ".msg", MSG(false, 0, 0), ""},
		{"outlook-rtf-only", ".msg", MSG(true, 0, 0), ""},
		{"mailbox", ".mbox", Mbox(false), ""},
		{"encrypted", ".eml", Encrypted(), "encrypted"},
		{"image-attachment", ".eml", Image(), "unsupported"},
		{"data-uri", ".eml", DataURI(), "uninspectable"},
		{"broken-boundary", ".eml", BrokenBoundary(), "corrupt"},
		{"wrong-boundary", ".eml", WrongBoundary(), "corrupt"},
		{"huge-claim", ".eml", HugeClaim(), "too_large"},
		{"outlook-huge-attachment", ".msg", MSG(false, 1<<30, 0), "too_large"},
		{"outlook-huge-rtf", ".msg", MSG(false, 0, 1<<30), "too_large"},
		{"mailbox-bad-message", ".mbox", Mbox(true), "corrupt"},
	}
}
