#!/usr/bin/env python3
"""Independent judge of Veil's email output, with Python's email package.

Usage: judge.py SECRETS.json KIND:FILE... (KIND is eml or mbox)

Reads every message of FILE with email.policy.default (a reader Veil shares
nothing with), decodes every header (encoded words, addresses), every
parameter (RFC 2231), every body part in its charset and transfer encoding,
every attachment name, and every attachment: DOCX as every zip entry's XML
text and attribute values, PDF through pdftotext and every inflated stream,
messages recursively. Prints JSON: the places where a secret was found
(never the secret itself), the defects Python reports, and a census of
what it read.
"""
import email
import email.policy
import html
import io
import json
import mailbox
import re
import subprocess
import sys
import tempfile
import zipfile
import zlib

secrets = []
leaks = []
defects = []
census = {"messages": 0, "parts": 0, "attachments": [], "headers": 0}


def check(place, text):
    if not text:
        return
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    low = text.casefold()
    flat = re.sub(r"\s+", " ", low)
    for i, s in enumerate(secrets):
        k = s.casefold()
        if k in low or k in flat:
            leaks.append({"place": place, "secret": i})


def xml_text(data):
    t = data.decode("utf-8", "replace")
    attrs = " ".join(html.unescape(v) for v in re.findall(r'="([^"]*)"', t))
    joined = html.unescape(re.sub(r"<[^>]*>", "", t))
    spaced = html.unescape(re.sub(r"<[^>]*>", " ", t))
    return "\n".join([attrs, joined, spaced])


def pdf_text(data, place):
    try:
        with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
            f.write(data)
            f.flush()
            out = subprocess.run(["pdftotext", f.name, "-"], capture_output=True, timeout=60)
            if out.returncode != 0:
                defects.append(place + ": pdftotext failed")
            check(place + " (pdftotext)", out.stdout)
    except FileNotFoundError:
        defects.append(place + ": pdftotext missing")
    for m in re.finditer(rb"stream\r?\n(.*?)endstream", data, re.S):
        raw = m.group(1)
        check(place + " (stream)", raw)
        try:
            check(place + " (inflated stream)", zlib.decompress(raw))
        except zlib.error:
            pass
    check(place + " (raw)", data)


def attachment(data, name, ctype, place):
    census["attachments"].append(ctype)
    lname = (name or "").lower()
    if lname.endswith(".docx") or "wordprocessingml" in ctype:
        try:
            z = zipfile.ZipFile(io.BytesIO(data))
        except zipfile.BadZipFile:
            defects.append(place + ": docx does not open")
            return
        for info in z.infolist():
            check(place + ":" + info.filename, info.filename)
            check(place + ":" + info.filename, xml_text(z.read(info)))
    elif lname.endswith(".pdf") or ctype == "application/pdf":
        pdf_text(data, place)
    elif lname.endswith(".eml"):
        walk_message(email.message_from_bytes(data, policy=email.policy.default), place)
    else:
        check(place, data)


def walk_part(part, place):
    census["parts"] += 1
    for d in part.defects:
        defects.append(place + ": " + type(d).__name__)
    for k, v in part.items():
        census["headers"] += 1
        check(place + " header " + k, k)
        check(place + " header " + k, str(v))
        addrs = getattr(v, "addresses", None)
        if addrs:
            for a in addrs:
                check(place + " header " + k, a.display_name)
                check(place + " header " + k, a.addr_spec)
        params = getattr(v, "params", None)
        if params:
            for pk, pv in params.items():
                check(place + " param " + pk, str(pv))
    name = part.get_filename()
    check(place + " filename", name)
    if name:
        check(place + " filename", name.replace("_", " "))
    ctype = part.get_content_type()
    if part.is_multipart():
        check(place + " preamble", part.preamble)
        check(place + " epilogue", part.epilogue)
        if ctype == "message/rfc822":
            for i, sub in enumerate(part.get_payload()):
                walk_message(sub, place + "/message")
            return
        for i, sub in enumerate(part.iter_parts()):
            walk_part(sub, "%s.%d" % (place, i + 1))
        return
    if part.get_content_maintype() == "text":
        try:
            text = part.get_content()
        except Exception as e:  # noqa: BLE001 - any failure is a defect
            defects.append(place + ": text does not decode: " + type(e).__name__)
            text = part.get_payload(decode=True).decode("utf-8", "replace")
        check(place, text)
        check(place, html.unescape(re.sub(r"<[^>]*>", "", text)))
        check(place, html.unescape(re.sub(r"<[^>]*>", " ", text)))
        check(place, re.sub(r"\r?\n[ \t]", "", text))
        if name:
            census["attachments"].append(ctype)
        return
    data = part.get_payload(decode=True) or b""
    attachment(data, name, ctype, place)


def walk_message(msg, place):
    census["messages"] += 1
    walk_part(msg, place)


def judge(path, kind):
    leaks.clear()
    defects.clear()
    census.update({"messages": 0, "parts": 0, "attachments": [], "headers": 0})
    with open(path, "rb") as f:
        raw = f.read()
    check("raw file", raw)
    if kind == "mbox":
        box = mailbox.mbox(path, factory=lambda f: email.message_from_binary_file(f, policy=email.policy.default))
        for i, msg in enumerate(box):
            walk_message(msg, "message %d" % (i + 1))
        for i, key in enumerate(box.keys()):
            check("message %d From line" % (i + 1), box.get_message(key).get_from())
    else:
        walk_message(email.message_from_bytes(raw, policy=email.policy.default), "message")
    return {"leaks": list(leaks), "defects": list(defects), "census": dict(census)}


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        secrets.extend(json.load(f))
    out = []
    for arg in sys.argv[2:]:
        kind, path = arg.split(":", 1)
        out.append(judge(path, kind))
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
