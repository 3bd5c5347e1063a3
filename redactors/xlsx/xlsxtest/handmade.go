package xlsxtest

import (
	"archive/zip"
	"bytes"
)

// Zip writes the entries (name → content) as a zip, in the order given.
func Zip(entries ...[2]string) []byte {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, e := range entries {
		w, err := zw.Create(e[0])
		if err != nil {
			panic(err)
		}
		if _, err := w.Write([]byte(e[1])); err != nil {
			panic(err)
		}
	}
	if err := zw.Close(); err != nil {
		panic(err)
	}
	return b.Bytes()
}

const (
	hdr  = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"
	main = `http://schemas.openxmlformats.org/spreadsheetml/2006/main`
	rel  = `http://schemas.openxmlformats.org/officeDocument/2006/relationships`
	pkg  = `http://schemas.openxmlformats.org/package/2006/relationships`
	tc   = `http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments`
)

// SideDoors are the values of Handmade that hide outside the cells.
var SideDoors = []string{"Wendeline Oskarsdottir", "Oskarsdottir", "Ravindra Coelho-Marr", "rcoelho", "48213377"}

// Handmade is a workbook written by hand with what excelize does not
// write: inline strings, a rich shared string no cell uses, a threaded
// comment and its person, an external link with a cached cell and a path
// naming the family, a custom property.
func Handmade() []byte {
	return Zip(
		[2]string{"[Content_Types].xml", hdr + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
			`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
			`<Default Extension="xml" ContentType="application/xml"/>` +
			`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` +
			`<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>` +
			`<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>` +
			`<Override PartName="/xl/threadedComments/threadedComment1.xml" ContentType="application/vnd.ms-excel.threadedcomments+xml"/>` +
			`<Override PartName="/xl/persons/person.xml" ContentType="application/vnd.ms-excel.person+xml"/>` +
			`<Override PartName="/xl/externalLinks/externalLink1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.externalLink+xml"/>` +
			`<Override PartName="/docProps/custom.xml" ContentType="application/vnd.openxmlformats-officedocument.custom-properties+xml"/>` +
			`</Types>`},
		[2]string{"_rels/.rels", hdr + `<Relationships xmlns="` + pkg + `">` +
			`<Relationship Id="rId1" Type="` + rel + `/officeDocument" Target="xl/workbook.xml"/>` +
			`<Relationship Id="rId2" Type="` + rel + `/custom-properties" Target="docProps/custom.xml"/>` +
			`</Relationships>`},
		[2]string{"xl/workbook.xml", hdr + `<workbook xmlns="` + main + `" xmlns:r="` + rel + `"><sheets><sheet name="Intake" sheetId="1" r:id="rId1"/></sheets>` +
			`<externalReferences><externalReference r:id="rId4"/></externalReferences></workbook>`},
		[2]string{"xl/_rels/workbook.xml.rels", hdr + `<Relationships xmlns="` + pkg + `">` +
			`<Relationship Id="rId1" Type="` + rel + `/worksheet" Target="worksheets/sheet1.xml"/>` +
			`<Relationship Id="rId2" Type="` + rel + `/sharedStrings" Target="sharedStrings.xml"/>` +
			`<Relationship Id="rId3" Type="http://schemas.microsoft.com/office/2017/10/relationships/person" Target="persons/person.xml"/>` +
			`<Relationship Id="rId4" Type="` + rel + `/externalLink" Target="externalLinks/externalLink1.xml"/>` +
			`</Relationships>`},
		[2]string{"xl/worksheets/sheet1.xml", hdr + `<worksheet xmlns="` + main + `" xmlns:r="` + rel + `"><sheetData>` +
			`<row r="1"><c r="A1" t="inlineStr"><is><t>Name</t></is></c><c r="B1" t="s"><v>0</v></c></row>` +
			`<row r="2"><c r="A2" t="inlineStr"><is><r><t>Wendeline </t></r><r><t>Oskarsdottir</t></r></is></c><c r="B2"><v>48213377</v></c></row>` +
			`<row r="3"><c r="A3" t="inlineStr"><is><t>Tobiah Lenk</t></is></c><c r="B3"><v>51200471</v></c></row>` +
			`</sheetData></worksheet>`},
		[2]string{"xl/worksheets/_rels/sheet1.xml.rels", hdr + `<Relationships xmlns="` + pkg + `">` +
			`<Relationship Id="rId1" Type="http://schemas.microsoft.com/office/2017/10/relationships/threadedComment" Target="../threadedComments/threadedComment1.xml"/>` +
			`</Relationships>`},
		[2]string{"xl/sharedStrings.xml", hdr + `<sst xmlns="` + main + `" count="2" uniqueCount="2"><si><t>MRN</t></si>` +
			`<si><r><t>Wende</t></r><r><rPr><b/></rPr><t xml:space="preserve">line Oskarsdottir's brother</t></r></si></sst>`},
		[2]string{"xl/threadedComments/threadedComment1.xml", hdr + `<ThreadedComments xmlns="` + tc + `">` +
			`<threadedComment ref="A2" dT="2026-01-05T10:00:00.00" personId="{6B1A61B5-33B1-4B58-9B61-0C4C4D0B2F11}" id="{0E1A2B3C-4D5E-4F60-8172-8394A5B6C7D8}">` +
			`<text>Ask Wendeline Oskarsdottir about the referral</text></threadedComment></ThreadedComments>`},
		[2]string{"xl/persons/person.xml", hdr + `<personList xmlns="` + tc + `">` +
			`<person displayName="Ravindra Coelho-Marr" id="{6B1A61B5-33B1-4B58-9B61-0C4C4D0B2F11}" userId="rcoelho@example.org" providerId="None"/></personList>`},
		[2]string{"xl/externalLinks/externalLink1.xml", hdr + `<externalLink xmlns="` + main + `" xmlns:r="` + rel + `"><externalBook r:id="rId1">` +
			`<sheetNames><sheetName val="Oskarsdottir family"/></sheetNames><sheetDataSet><sheetData sheetId="0"><row r="1">` +
			`<cell r="A1" t="str"><v>Wendeline Oskarsdottir</v></cell><cell r="B1"><v>48213377</v></cell></row></sheetData></sheetDataSet></externalBook></externalLink>`},
		[2]string{"xl/externalLinks/_rels/externalLink1.xml.rels", hdr + `<Relationships xmlns="` + pkg + `">` +
			`<Relationship Id="rId1" Type="` + rel + `/externalLinkPath" Target="file:///C:/Users/rcoelho/Oskarsdottir%20referrals.xlsx" TargetMode="External"/>` +
			`</Relationships>`},
		[2]string{"docProps/custom.xml", hdr + `<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">` +
			`<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="Case"><vt:lpwstr>Oskarsdottir</vt:lpwstr></property>` +
			`<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="3" name="Record"><vt:i4>48213377</vt:i4></property></Properties>`},
	)
}
