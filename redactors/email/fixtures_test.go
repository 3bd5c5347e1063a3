package email_test

import et "github.com/veilhq/veil/redactors/email/emailtest"

// The samples live in emailtest, for the conformance suite and other
// packages; these names keep the tests short.
const (
	client      = et.Client
	clientFirst = et.ClientFirst
	clientEmail = et.ClientEmail
	therapist   = et.Therapist
	therapistEm = et.TherapistEm
	sister      = et.Sister
	jpName      = et.JpName
	mrn         = et.Mrn
	phone       = et.Phone
	clinicHost  = et.ClinicHost
	clinicIP    = et.ClinicIP
	msgDomain   = et.MsgDomain
	attName     = et.AttName
	grandparent = et.Grandparent
)

var (
	secrets           = et.Secrets
	fixAlternative    = et.Alternative
	fixAttachments    = et.Attachments
	fixForward        = et.Forward
	fixCharsets       = et.Charsets
	fixSigned         = et.Signed
	fixEncrypted      = et.Encrypted
	fixImage          = et.Image
	fixBrokenBoundary = et.BrokenBoundary
	fixWrongBoundary  = et.WrongBoundary
	fixHugeClaim      = et.HugeClaim
	fixPlainLF        = et.PlainLF
	fixDataURI        = et.DataURI
)
