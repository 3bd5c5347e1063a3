package xlsxtest

// ContextFree is a workbook whose identifying values have no context of
// their own (session "sheetdoor", issue 13; invented values): a sheet
// named after a client's surname and one after her record number, a
// defined name after another client, both referred to from formulas, a
// defined name's formula, a hyperlink's location, an extension's
// validation formula and docProps/app.xml; record numbers, telephone
// numbers and birth dates typed as numbers under a header row below a
// title, and a record number beside its label; data validation lists of
// record numbers and of clients' names under their columns' headers. The formulas have no cached
// values, so that a spreadsheet program must follow their references.
// Kept names ("Summary",
// "Jan 2026", "Totals") must stay.
func ContextFree() []byte {
	const x14 = `http://schemas.microsoft.com/office/spreadsheetml/2009/9/main`
	const xm = `http://schemas.microsoft.com/office/excel/2006/main`
	ws := func(n string) string {
		return `<Override PartName="/xl/worksheets/sheet` + n + `.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`
	}
	return Zip(
		[2]string{"[Content_Types].xml", hdr + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
			`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
			`<Default Extension="xml" ContentType="application/xml"/>` +
			`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` +
			ws("1") + ws("2") + ws("3") + ws("4") +
			`<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>` +
			`</Types>`},
		[2]string{"_rels/.rels", hdr + `<Relationships xmlns="` + pkg + `">` +
			`<Relationship Id="rId1" Type="` + rel + `/officeDocument" Target="xl/workbook.xml"/>` +
			`<Relationship Id="rId2" Type="` + rel + `/extended-properties" Target="docProps/app.xml"/>` +
			`</Relationships>`},
		[2]string{"docProps/app.xml", hdr + `<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">` +
			`<Application>Microsoft Excel</Application><HeadingPairs><vt:vector size="4" baseType="variant">` +
			`<vt:variant><vt:lpstr>Worksheets</vt:lpstr></vt:variant><vt:variant><vt:i4>4</vt:i4></vt:variant>` +
			`<vt:variant><vt:lpstr>Named Ranges</vt:lpstr></vt:variant><vt:variant><vt:i4>3</vt:i4></vt:variant></vt:vector></HeadingPairs>` +
			`<TitlesOfParts><vt:vector size="7" baseType="lpstr"><vt:lpstr>Quillanby</vt:lpstr><vt:lpstr>48213907</vt:lpstr>` +
			`<vt:lpstr>Summary</vt:lpstr><vt:lpstr>Jan 2026</vt:lpstr><vt:lpstr>Quillanby!Print_Area</vt:lpstr>` +
			`<vt:lpstr>Tamsin_Everard</vt:lpstr><vt:lpstr>Totals</vt:lpstr></vt:vector></TitlesOfParts></Properties>`},
		[2]string{"xl/workbook.xml", hdr + `<workbook xmlns="` + main + `" xmlns:r="` + rel + `"><sheets>` +
			`<sheet name="Quillanby" sheetId="1" r:id="rId1"/><sheet name="48213907" sheetId="2" r:id="rId2"/>` +
			`<sheet name="Summary" sheetId="3" r:id="rId3"/><sheet name="Jan 2026" sheetId="4" r:id="rId4"/></sheets>` +
			`<definedNames><definedName name="_xlnm.Print_Area" localSheetId="0">Quillanby!$A$1:$F$6</definedName>` +
			`<definedName name="Tamsin_Everard">Quillanby!$B$3</definedName><definedName name="Totals">Summary!$B$1</definedName></definedNames>` +
			`</workbook>`},
		[2]string{"xl/_rels/workbook.xml.rels", hdr + `<Relationships xmlns="` + pkg + `">` +
			`<Relationship Id="rId1" Type="` + rel + `/worksheet" Target="worksheets/sheet1.xml"/>` +
			`<Relationship Id="rId2" Type="` + rel + `/worksheet" Target="worksheets/sheet2.xml"/>` +
			`<Relationship Id="rId3" Type="` + rel + `/worksheet" Target="worksheets/sheet3.xml"/>` +
			`<Relationship Id="rId4" Type="` + rel + `/worksheet" Target="worksheets/sheet4.xml"/>` +
			`</Relationships>`},
		[2]string{"xl/worksheets/sheet1.xml", hdr + `<worksheet xmlns="` + main + `" xmlns:r="` + rel + `"><sheetData>` +
			`<row r="1"><c r="A1" t="inlineStr"><is><t>Clinic list</t></is></c></row>` +
			`<row r="2"><c r="A2" t="inlineStr"><is><t>Client</t></is></c><c r="B2" t="inlineStr"><is><t>MRN</t></is></c>` +
			`<c r="C2" t="inlineStr"><is><t>Phone</t></is></c><c r="D2" t="inlineStr"><is><t>DOB</t></is></c>` +
			`<c r="E2" t="inlineStr"><is><t>Amount</t></is></c><c r="F2" t="inlineStr"><is><t>Patient ID</t></is></c>` +
			`<c r="G2" t="inlineStr"><is><t>Client</t></is></c></row>` +
			`<row r="3"><c r="A3" t="inlineStr"><is><t>Seen</t></is></c><c r="B3"><v>48213907</v></c><c r="C3"><v>6175550143</v></c>` +
			`<c r="D3"><v>31118</v></c><c r="E3"><v>120.5</v></c></row>` +
			`<row r="4"><c r="A4" t="inlineStr"><is><t>Seen</t></is></c><c r="B4"><v>48213911</v></c><c r="C4"><v>6175550199</v></c>` +
			`<c r="D4"><v>29000</v></c><c r="E4"><v>80</v></c></row>` +
			`<row r="6"><c r="A6" t="inlineStr"><is><t>Record number</t></is></c><c r="B6"><v>48213999</v></c></row>` +
			`</sheetData>` +
			`<dataValidations count="2"><dataValidation type="list" allowBlank="1" sqref="F3:F20"><formula1>"48213950,48213951"</formula1></dataValidation>` +
			`<dataValidation type="list" allowBlank="1" sqref="G3:G20"><formula1>"Orsolya Quillanby,Tamsin Everard"</formula1></dataValidation></dataValidations>` +
			`<hyperlinks><hyperlink ref="A6" location="'48213907'!A1" display="see"/></hyperlinks>` +
			`</worksheet>`},
		[2]string{"xl/worksheets/sheet2.xml", hdr + `<worksheet xmlns="` + main + `" xmlns:r="` + rel + `"><sheetData>` +
			`<row r="1"><c r="A1"><f>Quillanby!B3</f></c></row>` +
			`<row r="2"><c r="A2"><f>'Quillanby'!E4+Summary!B1</f></c></row>` +
			`</sheetData>` +
			`<extLst><ext uri="{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}" xmlns:x14="` + x14 + `"><x14:dataValidations count="1" xmlns:xm="` + xm + `">` +
			`<x14:dataValidation type="list" allowBlank="1"><x14:formula1><xm:f>Quillanby!$E$3:$E$4</xm:f></x14:formula1><xm:sqref>B1</xm:sqref></x14:dataValidation>` +
			`</x14:dataValidations></ext></extLst></worksheet>`},
		[2]string{"xl/worksheets/sheet3.xml", hdr + `<worksheet xmlns="` + main + `" xmlns:r="` + rel + `"><sheetData>` +
			`<row r="1"><c r="A1" t="inlineStr"><is><t>Total</t></is></c><c r="B1"><f>SUM(Quillanby!E3:E4)</f></c></row>` +
			`<row r="2"><c r="A2" t="inlineStr"><is><t>Twice</t></is></c><c r="B2"><f>Tamsin_Everard*2</f></c></row>` +
			`</sheetData></worksheet>`},
		[2]string{"xl/worksheets/sheet4.xml", hdr + `<worksheet xmlns="` + main + `" xmlns:r="` + rel + `"><sheetData>` +
			`<row r="1"><c r="A1" t="inlineStr"><is><t>ok</t></is></c></row>` +
			`</sheetData></worksheet>`},
	)
}
