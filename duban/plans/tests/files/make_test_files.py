"""Make the PDFs the importer tests read: `python duban/plans/tests/files/make_test_files.py`.

The files are committed (the tests do not start Chromium); run this again after changing the plans
below, with Debian's chromium and fonts-noto-cjk installed.

- `linjiang-plan.pdf`: a county's plan as published — a running page header and page numbers, a title
  without a year (the year is in the document number; the preamble cites another document's number),
  the body's items naming the areas, and an annex table with merged cells (rowspan) long enough to run
  over three pages, its header repeated on each, and one row long enough to be split by a page break.
- `scanned.pdf`: a page that is only a picture (no text layer), as a scanner gives.
"""

from __future__ import annotations

import base64
import html
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).parent
CHROMIUM = "/usr/bin/chromium"

CSS = """
@page { size: A4; margin: 22mm 18mm 22mm 18mm;
  @top-center { content: "临江县人民政府办公室文件"; font-family: "Noto Sans CJK SC"; font-size: 9pt; }
  @bottom-center { content: "— " counter(page) " —"; font-family: "Noto Sans CJK SC"; font-size: 10pt; } }
body { font-family: "Noto Serif CJK SC", "Noto Sans CJK SC"; font-size: 12pt; line-height: 1.6; }
p { margin: 0; text-indent: 2em; text-align: justify; }
p.center { text-indent: 0; text-align: center; }
h1 { font-size: 18pt; text-align: center; font-weight: normal; }
table { border-collapse: collapse; width: 100%; font-size: 10pt; }
th, td { border: 0.8pt solid #000; padding: 2pt 3pt; vertical-align: middle; }
thead { display: table-header-group; }
.annex { break-before: page; }
"""

AREAS = [
    ("开办企业", "县市场监管局", "县税务局、县人社局"),
    ("办理建筑许可", "县住建局", "县自然资源局"),
    ("获得电力", "县发改委", "国网临江县供电公司"),
    ("纳税", "县税务局", "县财政局"),
    ("政务服务", "县行政审批局", "县直各有关单位"),
]
ACTIONS = ["推行", "优化", "压缩", "完善", "深化", "拓展", "落实", "建立", "开展"]


def measures():
    """[(number, area, text, lead, cooperating, deadline)] — nine rows an area; the lead unit is merged
    over each area's first three rows in the table."""
    rows, number = [], 0
    for a, (area, lead, cooperating) in enumerate(AREAS):
        for k in range(9):
            number += 1
            text = f"{ACTIONS[k]}{area}第{k + 1}项举措，明确责任分工，按期完成并报送进展情况。"
            if a == 2 and k == 4:  # long enough to run over a page break wherever it falls
                text = "".join(f"{ACTIONS[j % 9]}{area}配套工作第{j + 1}步，" for j in range(40)) + "确保按期完成。"
            deadline = f"2024年{3 + k}月{30 if k % 2 else 31 if (3 + k) in (3, 5, 7, 8, 10, 12) else 30}日"
            rows.append((number, area, text, lead, cooperating, deadline))
    return rows


def plan_html():
    parts = [f"<!doctype html><html><head><meta charset='utf-8'><style>{CSS}</style></head><body>"]
    p = lambda text, cls="": parts.append(f"<p class='{cls}'>{html.escape(text)}</p>")  # noqa: E731
    p("临府办发〔2024〕8号", "center")
    p("临江县人民政府办公室关于印发临江县优化营商环境实施方案的通知", "center")
    p("各乡镇人民政府，县政府各部门：", "center")
    p("根据《江临市人民政府办公室关于持续优化营商环境的意见》（江府办发〔2023〕12号）精神，经县政府同意，现将"
      "《临江县优化营商环境实施方案》印发给你们，请认真贯彻落实。")
    p("临江县人民政府办公室", "center")
    p("2024年3月5日", "center")
    parts.append("<h1>临江县优化营商环境实施方案</h1>")
    p("为持续打造市场化、法治化、国际化一流营商环境，激发市场主体活力，结合我县实际，制定本方案。这一段文字足够长，"
      "在页面上要折成好几行，读出来时应当仍是一个段落，不被拆开，也不与下一段连在一起。")
    p("一、总体要求")
    p("以企业和群众满意为导向，对标先进地区，补齐短板弱项。")
    p("三、主要措施")
    for n, (area, lead, cooperating) in enumerate(AREAS, start=1):
        p(f"{n}.{area}。围绕{area}环节压减材料和时限，提升便利度。（指标长：王立新；牵头单位：{lead}；"
          f"配合单位：{cooperating}）")
    p("四、工作要求")
    p("各牵头单位要细化措施，每季度末报送进展。")
    p("附件：1.临江县优化营商环境指标任务清单")
    parts.append("<div class='annex'>")
    p("附件1", "")
    parts.append("<h1>临江县优化营商环境指标任务清单</h1>")
    parts.append("<table><thead><tr><th>序号</th><th>指标名称</th><th>工作举措</th><th>牵头单位</th><th>配合单位</th>"
                 "<th>完成时限</th></tr></thead><tbody>")
    rows = measures()
    for i, (number, area, text, lead, cooperating, deadline) in enumerate(rows):
        first_of_area = i % 9 == 0
        cells = [f"<td>{number}</td>"]
        if first_of_area:
            cells.append(f"<td rowspan='9'>{html.escape(area)}</td>")
        cells.append(f"<td>{html.escape(text)}</td>")
        if i % 9 == 0:
            cells.append(f"<td rowspan='3'>{html.escape(lead)}</td>")
        elif i % 9 >= 3:
            cells.append(f"<td>{html.escape(lead)}</td>")
        cells += [f"<td>{html.escape(cooperating)}</td>", f"<td>{deadline}</td>"]
        parts.append("<tr>" + "".join(cells) + "</tr>")
    parts.append("</tbody></table></div></body></html>")
    return "".join(parts)


def scanned_html():
    """A page holding only a picture of text, as a scanner gives (no text layer)."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (600, 300), "white")
    draw = ImageDraw.Draw(image)
    for y in range(30, 280, 24):
        draw.line((40, y, 560, y), fill="black", width=3)
    with tempfile.SpooledTemporaryFile() as buffer:
        image.save(buffer, "PNG")
        buffer.seek(0)
        data = base64.b64encode(buffer.read()).decode()
    return (f"<!doctype html><html><head><style>@page {{ size: A4; margin: 20mm; }}</style></head><body>"
            f"<img src='data:image/png;base64,{data}' style='width: 160mm'></body></html>")


def print_pdf(page_html: str, out: Path) -> None:
    with tempfile.TemporaryDirectory() as folder:
        page = Path(folder) / "page.html"
        page.write_text(page_html, encoding="utf-8")
        subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                        f"--print-to-pdf={out}", page.as_uri()], check=True, capture_output=True, timeout=120)


def main() -> int:
    print_pdf(plan_html(), HERE / "linjiang-plan.pdf")
    print_pdf(scanned_html(), HERE / "scanned.pdf")
    return 0


if __name__ == "__main__":
    sys.exit(main())
