package docxtest

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"math"
	"math/rand/v2"

	"github.com/veilhq/veil/redactors/imagemeta/imagetest"
	"github.com/veilhq/veil/redactors/ocr/ocrtest"
)

// Media is an image placed in a document: its part name under word/media
// and its bytes.
type Media struct {
	Name string // "image1.png"
	Data []byte
}

// WithImages returns a document whose body is the paragraphs of body
// followed by each image, inline, in a paragraph of its own (a scan pasted
// under a line of text), each with its extension's content type.
func WithImages(body string, media ...Media) []byte {
	d := Doc{Body: body, Types: map[string]string{"gif": "image/gif", "jpg": "image/jpeg", "tif": "image/tiff", "tiff": "image/tiff", "bmp": "image/bmp", "webp": "image/webp"}}
	for i, m := range media {
		rid := fmt.Sprintf("rId%d", 40+i)
		d.Body += `<w:p>` + Image(rid, fmt.Sprintf("Picture %d", i+1), "") + `</w:p>`
		d.Rels = append(d.Rels, Rel{ID: rid, Type: RelImage, Target: "media/" + m.Name})
		d.Files = append(d.Files, File{Name: "word/media/" + m.Name, Data: string(m.Data)})
	}
	return d.Build()
}

// ScannedReferral renders a short referral about p as a scanner would
// deliver it (150 dpi, grey, a little grain): a letterhead, a form with
// the patient's name, birth date, record number and telephone, and two
// sentences of clinical text. It returns the PNG and the sheet (the words
// drawn and their boxes).
func ScannedReferral(p ocrtest.Person) ([]byte, *ocrtest.Sheet) {
	s := ocrtest.NewSheet(6.5, 3.6, 150)
	s.Line(36, 40, ocrtest.Style{Size: 13, Bold: true}, "Riverside Community Clinic")
	s.Line(36, 60, ocrtest.Style{Size: 11, Bold: true}, "Referral for assessment")
	y := 88.0
	for _, r := range [][2]string{{"Patient:", p.Name()}, {"Date of birth:", p.DOB}, {"Record number:", p.MRN}, {"Telephone:", p.Phone}} {
		s.Line(36, y, ocrtest.Style{}, r[0])
		s.Line(150, y, ocrtest.Style{}, r[1])
		y += 17
	}
	s.Para(36, y+12, 400, ocrtest.Style{}, "The patient reports low mood and poor sleep over three months. Sertraline was started six weeks ago with partial response.")
	img := ocrtest.Noise(s.Img, 6, 0.0005, 7)
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		panic(err)
	}
	return b.Bytes(), s
}

// Photo is a photograph-like JPEG without text (a smooth gradient with
// shapes and grain, 320×240) whose EXIF, XMP, IPTC and comment name the
// person (imagetest.JPEG's metadata).
func Photo(name string) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 320, 240))
	r := rand.New(rand.NewPCG(3, 4))
	for y := 0; y < 240; y++ {
		for x := 0; x < 320; x++ {
			dx, dy := float64(x-160)/70, float64(y-110)/90
			v := 90 + 0.4*float64(x) + 0.2*float64(y)
			if dx*dx+dy*dy < 1 {
				v = 200 - 60*(dx*dx+dy*dy)
			}
			n := r.NormFloat64() * 8
			img.Set(x, y, color.RGBA{clamp(v + n), clamp(v*0.8 + n), clamp(v*0.6 + 40 + n), 255})
		}
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 85}); err != nil {
		panic(err)
	}
	withMeta, _ := imagetest.JPEG(name)
	return graftMetadata(b.Bytes(), withMeta)
}

func clamp(v float64) uint8 { return uint8(math.Max(0, math.Min(255, math.Round(v)))) }

// graftMetadata puts the segments of meta between its SOI and its first
// frame or table segment into jpg, after SOI: a real photo with the
// metadata a camera and an editor leave.
func graftMetadata(jpg, meta []byte) []byte {
	p := 2
	for p+4 <= len(meta) && meta[p] == 0xFF {
		m := meta[p+1]
		if m == 0xDB || m == 0xC0 || m == 0xC2 || m == 0xC4 || m == 0xDA {
			break
		}
		p += 2 + (int(meta[p+2])<<8 | int(meta[p+3]))
	}
	out := append([]byte(nil), jpg[:2]...)
	out = append(out, meta[2:p]...)
	return append(out, jpg[2:]...)
}

// Logo is a small letterhead logo as a GIF (460×90): an emblem and the
// organisation's name in capitals, dark on a pale colour.
func Logo(org string) []byte {
	s := ocrtest.NewSheet(4.6, 0.9, 100)
	s.Line(86, 42, ocrtest.Style{Size: 17, Bold: true}, org)
	pal := color.Palette{color.RGBA{236, 242, 250, 255}, color.RGBA{20, 40, 90, 255}, color.RGBA{200, 60, 40, 255}}
	b := s.Img.Bounds()
	img := image.NewPaletted(b, pal)
	for y := 0; y < b.Dy(); y++ {
		for x := 0; x < b.Dx(); x++ {
			switch {
			case s.Img.GrayAt(x, y).Y < 128:
				img.SetColorIndex(x, y, 1)
			case x > 14 && x < 74 && y > 15 && y < 75 && (x-44)*(x-44)+(y-45)*(y-45) < 900:
				img.SetColorIndex(x, y, 2) // the emblem
			}
		}
	}
	var out bytes.Buffer
	if err := gif.Encode(&out, img, nil); err != nil {
		panic(err)
	}
	return out.Bytes()
}
