#!/usr/bin/env python3
"""Writes the committed seeds of fuzz/seeds/ (run from fuzz/: ./make-seeds.py seeds).

Short excerpts of the UN corpus, and the tricky cases each target starts from. The inputs
too large to commit (a 1 MB token) are made by fuzz/run."""
import json, os, zipfile, io, sys
root = sys.argv[1]
def put(target, name, data):
    d = os.path.join(root, target); os.makedirs(d, exist_ok=True)
    if isinstance(data, str): data = data.encode("utf-8", "surrogatepass")
    open(os.path.join(d, name), "wb").write(data)

# Short excerpts of the UN corpus (a few dozen lines in all).
fr = ["Il rappelle la décision qu'il a placé Boko Haram sur la Liste relative aux sanctions contre Al-Qaida.",
      "Tous les êtres humains naissent libres et égaux en dignité et en droits.",
      "L'Organisation serait << fondée sur le principe de l'égalité souveraine de tous ses membres >>",
      "Soixante-neuvième session",
      "Le Conseil de sécurité,\n\nRéaffirmant sa résolution 2086 (2013), décide de rester saisi de la question.",
      "les pays fournisseurs de contingents œuvrent au maintien de la paix"]
en = ["WE THE PEOPLES OF THE UNITED NATIONS DETERMINED\nto save succeeding generations from the scourge of war,",
      "The Purposes of the United Nations are:\n\nTo maintain international peace and security,",
      "2 (1946). Resolution of 30 January 1946\n\nThe Security Council,",
      "All human beings are born free and equal in dignity and rights.",
      "peace-keeping operations and peacekeeping operations; HIV/AIDS and/or S/RES/1325 (2000)"]
tricky = {
  "combining": "e\u0301te\u0301 de\u0301cide\u0301 a\u0300\u0301\u0302\u0303\u0304\u0305\u0306\u0307 \u0301\u0301lone marks \u0308",
  "rtl": "\u200fpaix\u200f \u202eécurité\u202c \u200e peace \u202b\u0627\u0644\u0633\u0644\u0627\u0645\u202c",
  "apostrophes": "l’Organisation lʼOrganisation l'Organisation aujourd’hui d’’’autre ’l ' ʼ ’ O’Neill",
  "nul": "paix\x00sécurité\x00\x00 \x00\n\x00",
  "ligatures-hyphens": "œuvre Œuvre cœur ﬁnance main-\ntien peace- keeping --- ‐‑‒–— S/RES/2086(2013)",
  "numbers-symbols": "1,5 % 12 000 A/69/767 E/CN.4/2005/L.1 S/PRST/2015/4 par. 4 a))",
}
apostrophes = "l" + "’" * 4000 + "'" * 3000 + "ʼ" * 3000 + "Organisation"

for i, t in enumerate(fr): put("analyze", f"fr-{i}", t)
for i, t in enumerate(en): put("analyze", f"en-{i}", t)
for k, t in tricky.items(): put("analyze", k, t)
put("analyze", "apostrophes-10000", apostrophes)
put("analyze", "invalid-utf8", b"d\xe9cision \xed\xa0\x80 lone surrogate \xff\xfe \xc3")

queries = {
 "words": "maintien de la paix", "phrase": '"maintien de la paix" sécurité', "curly": "“peace keeping” « paix » „Frieden“",
 "operators": "(paix OR sécurité) AND Afrique NOT Liban -guerre +Conseil", "fields": "lang:fr type:resolution year:[1990 TO *] symbol:\"S/RES/242 (1967)\" id:udhr-1",
 "prefix-fuzzy": "contin* sécurité~2 paix~99 p*ix paix^2", "symbol": "S/RES/2086 (2013) résolution 2086 (2013)",
 "elision": "l’Organisation lʼOrganisation aujourd'hui", "stop-words": '"to be or not to be"',
 "nested-parens": "(" * 64 + "paix" + ")" * 64, "nested-parens-deep": "(" * 200 + "a" + ")" * 199,
 "nested-quotes": '"«“„"paix"“»"' + '"' * 33, "mixed-nesting": "(\"(a \"b\" (c)\")\" NOT (NOT (NOT d)))",
 "not-chain": "NOT " * 70 + "a", "empty-ops": "AND OR NOT () \"\" - + && ||", "rtl": "\u202epaix\u202c \u200fsécurité",
 "combining": "se\u0301curite\u0301 \u0301", "nul": "paix\x00 \x00OR\x00", "apostrophes": "'" * 300 + "paix",
 # A crash found by fuzzing (fixed): `missing` sought a scorer backwards.
 "missing-seek-backwards": "173. Act",
 # Found by fuzzing (tantivy's own debug assertion, let through as known): a negated phrase.
 "negated-phrase": 'paix NOT "maintien conseil"',
}
for k, q in queries.items(): put("query", k, q)
for i, t in enumerate(fr[:2] + en[:2]): put("query", f"corpus-{i}", t.split("\n")[0])

# ingest: the first byte picks the extension: 0 txt, 1 md, 2 jsonl, 3 pdf, 4 docx, 5 html.
def rec(**kw): return json.dumps(kw, ensure_ascii=False)
put("ingest", "txt-fr", b"\x00" + "\n\n".join(fr).encode())
put("ingest", "txt-en", b"\x00" + "\n\n".join(en).encode())
put("ingest", "txt-nul", b"\x00" + b"paix\x00s\xc3\xa9curit\xc3\xa9")
put("ingest", "txt-utf16", b"\x00" + "\ufeffLa paix et la sécurité.".encode("utf-16-le"))
put("ingest", "txt-latin1", b"\x00" + "Le Conseil de sécurité décide.".encode("latin-1"))
put("ingest", "md", b"\x01" + "# Résolution 2086 (2013)\n\nLe Conseil de sécurité,\n\n- décide".encode())
lines = [rec(id="S/RES/2086 (2013)", lang="fr", symbol="S/RES/2086 (2013)", year=2013, doc_type="resolution", text=fr[4]),
         rec(id="udhr-1", lang="en", title="UDHR", date="1948-12-10", text=en[3]),
         '{"id": "s1", "lang": "fr", "text": "lone \\ud800 surrogate \\udc00\\ud800 and \\u0000 NUL"}',
         '{"id": "s2", "text": "\\ud83d\\ude00 paired \\u202e RTL \\u200f"}',
         '{"id": 3, "lang": "fr-CA", "year": "2015", "text": "ok"}', '{"id": "x"}', '[1, 2]', '{"id": "deep", "text": ' + "[" * 300 + "]" * 300 + "}",
         "not json at all", '{"id": "", "text": "blank id"}']
put("ingest", "jsonl", b"\x02" + "\n".join(lines).encode())
put("ingest", "jsonl-surrogates", b"\x02" + '{"id": "a", "text": "\\ud800"}\n{"id": "b", "text": "\\udfff\\ud800x"}\n'.encode())

def pdf(text):
    objs = ["<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
            None, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj 0 -14 Td (Decides to remain seized.) Tj ET"
    objs[3] = f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream"
    out = b"%PDF-1.4\n"; offs = []
    for i, o in enumerate(objs):
        offs.append(len(out)); out += f"{i+1} 0 obj\n{o}\nendobj\n".encode("latin-1")
    x = len(out)
    out += f"xref\n0 {len(objs)+1}\n0000000000 65535 f \n".encode() + b"".join(f"{o:010d} 00000 n \n".encode() for o in offs)
    out += f"trailer\n<< /Size {len(objs)+1} /Root 1 0 R /Info << /Title (Resolution) >> >>\nstartxref\n{x}\n%%EOF\n".encode()
    return out
put("ingest", "pdf", b"\x03" + pdf("The Security Council, recalling resolution 2086 \\(2013\\),"))
put("ingest", "pdf-truncated", b"\x03" + pdf("Truncated")[:200])

def docx(body):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        # A fixed date, so that the seeds are the same bytes at every run.
        z.writestr = lambda name, data, w=z.writestr: w(zipfile.ZipInfo(name, (2026, 1, 1, 0, 0, 0)), data, zipfile.ZIP_DEFLATED)
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
        z.writestr("word/document.xml", '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>' + body + "</w:body></w:document>")
        z.writestr("docProps/core.xml", '<?xml version="1.0"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>Résolution</dc:title></cp:coreProperties>')
    return buf.getvalue()
put("ingest", "docx", b"\x04" + docx('<w:p><w:r><w:t>Le Conseil de sécurité,</w:t></w:r></w:p><w:p><w:r><w:t xml:space="preserve">décide de </w:t></w:r><w:r><w:t>rester saisi.</w:t></w:r></w:p>'))
put("ingest", "docx-nested", b"\x04" + docx("<w:p>" * 200 + "<w:r><w:t>deep</w:t></w:r>" + "</w:p>" * 200))
put("ingest", "html", b"\x05" + '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Résolution 2086</title></head><body><nav>menu</nav><h1>Le Conseil</h1><p>Réaffirmant&nbsp;sa résolution &amp; <b>décide</b></p><script>x()</script></body></html>'.encode())
put("ingest", "html-nested", b"\x05" + ("<div>" * 2000 + "paix" + "</div>" * 10).encode())
put("ingest", "html-latin1", b"\x05" + '<html><head><meta charset="iso-8859-1"></head><body><p>sécurité</p></body></html>'.encode("latin-1"))

snippets = {
 "phrase": '"maintien de la paix"\nLa paix est fragile. Le Conseil œuvre au maintien de la paix et de la sécurité.',
 "escape": 'paix sécurité\nPaix & sécurité <internationales> : maintien de la paix & sécurité.',
 "symbol": "S/RES/2086 (2013)\nLa résolution S/RES/2086 (2013) adoptée en 2013, et la 2086 (2013).",
 "compound": "peacekeeping operations\npeace-keeping operations and peacekeeping operations; peace alone",
 "prefix-fuzzy": "contin* securite~1\nles contingents et la sécurité, contingence, sécurités",
 "elision": "l’Organisation\nL'Organisation, lʼOrganisation et l’organisation",
 "long": "paix\n" + ("Le Conseil, rappelant ses résolutions antérieures, décide. " * 8) + "La paix revient " + ("et ainsi de suite " * 20),
 "combining-rtl": "securite\nse\u0301curite\u0301 \u202esécurité\u202c \u200fsecurite",
 "nul": "paix\npaix\x00paix \x00 <b>paix</b>",
 "stop-words": '"to be or not to be"\nTo be or not to be: that is the question.',
}
for k, t in snippets.items(): put("snippet", k, t)
