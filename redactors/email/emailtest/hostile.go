package emailtest

import (
	"encoding/base64"
	"strings"

	"golang.org/x/text/encoding/charmap"
)

// Hostile is a message whose values sit where a reader must decode to
// see them: an encoded word (ISO-8859-1, Q) in a field of no standard
// name, an address whose display name is a B-encoded word, an RFC 2231
// file name, a preamble, an HTML body that splits a name with inline
// tags and holds one in an attribute, a windows-1252 quoted-printable
// body, and a forwarded message (message/rfc822) sent base64-encoded,
// with a name in its own encoded header.
func Hostile() []byte {
	w1252, err := charmap.Windows1252.NewEncoder().String("Seen by Aurélie Vantongeren-Bosch on Friday.\n")
	if err != nil {
		panic(err)
	}
	var qp strings.Builder
	for _, c := range []byte(w1252) {
		if c >= 0x80 || c == '=' {
			qp.WriteString("=" + strings.ToUpper(string("0123456789abcdef"[c>>4])+string("0123456789abcdef"[c&15])))
		} else {
			qp.WriteByte(c)
		}
	}
	inner := "From: =?UTF-8?B?" + b64str("Quillon Abernathy-Roux") + "?= <quillon@abernathy.example>\r\nSubject: =?UTF-8?Q?Re:_dossier_Quillon?=\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nPlease call 503-555-0162.\r\n"
	return []byte(strings.ReplaceAll(`From: Office <office@clinic.example>
To: =?UTF-8?B?`+b64str("Aurélie Vantongeren-Bosch")+`?= <avb@mail.example>
X-Case-Holder: =?ISO-8859-1?Q?Aur=E9lie_Vantongeren-Bosch?=
Subject: Records
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="hb"

Preamble for Aurélie Vantongeren-Bosch.
--hb
Content-Type: text/html; charset=utf-8

<p>Client: Aur<b>é</b>lie Vantongeren-<i>Bosch</i></p><img alt="Photo of Quillon Abernathy-Roux" src="cid:x">
--hb
Content-Type: text/plain; charset=windows-1252
Content-Transfer-Encoding: quoted-printable

`+qp.String()+`--hb
Content-Type: text/plain; charset=utf-8
Content-Disposition: attachment; filename*=UTF-8''Aur%C3%A9lie_notes.txt

Notes.
--hb
Content-Type: message/rfc822
Content-Transfer-Encoding: base64

`+b64str(inner)+`
--hb--
`, "\n", "\r\n"))
}

func b64str(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
