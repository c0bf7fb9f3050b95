import io

from openpyxl import load_workbook

from gongkai.participation.exports import Sheet, to_xlsx


def test_xlsx_never_turns_a_citizens_text_into_a_formula():
    data = to_xlsx(Sheet("意见", [], ["意见内容"], [['=HYPERLINK("http://x","点我")']], [1]))
    ws = load_workbook(io.BytesIO(data)).active
    cell = ws.cell(row=3, column=1)
    assert cell.value.startswith("=HYPERLINK") and cell.data_type == "s"
