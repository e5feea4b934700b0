"""Writes khao_sat_hai_long_ntm.xlsx, the programme's satisfaction survey as an XLSForm.

Run `python -m langso.engage.data.build_satisfaction_form` after editing the questions; the
.xlsx beside this file is what the app ships and officials can download and adapt."""

from pathlib import Path

from openpyxl import Workbook

FILE = Path(__file__).with_name("khao_sat_hai_long_ntm.xlsx")

FIELDS = [
    ("ha_tang", "Hạ tầng: đường giao thông, điện, nước sạch, trường học, nhà văn hóa"),
    ("thu_nhap", "Thu nhập, việc làm và đời sống của gia đình"),
    ("moi_truong", "Môi trường, cảnh quan, vệ sinh an toàn thực phẩm"),
    ("van_hoa", "Đời sống văn hóa, giáo dục, y tế"),
    ("hanh_chinh", "Thủ tục hành chính và sự phục vụ của chính quyền xã"),
    ("an_ninh", "An ninh, trật tự, an toàn xã hội"),
]

SURVEY = [
    [
        "type",
        "name",
        "label",
        "hint",
        "required",
        "required_message",
        "constraint",
        "constraint_message",
        "relevant",
    ],
    [
        "note",
        "gioi_thieu",
        "Xin ông/bà cho biết ý kiến về kết quả xây dựng nông thôn mới của "
        "xã. Phiếu ẩn danh: câu trả lời không gắn với tên hay tài khoản.",
        "",
        "",
        "",
        "",
        "",
        "",
    ],
    [
        "select_one thon",
        "thon",
        "Ông/bà sinh sống ở thôn, xóm nào?",
        "",
        "yes",
        "Hãy chọn thôn, xóm.",
        "",
        "",
        "",
    ],
    ["select_one do_tuoi", "do_tuoi", "Ông/bà thuộc nhóm tuổi nào?", "", "yes", "", "", "", ""],
    [
        "select_one muc5",
        "hai_long_chung",
        "Nhìn chung, ông/bà hài lòng thế nào với kết quả xây dựng nông thôn mới của xã?",
        "",
        "yes",
        "Hãy chọn mức độ hài lòng.",
        "",
        "",
        "",
    ],
    ["begin_group", "linh_vuc", "Mức độ hài lòng theo từng lĩnh vực", "", "", "", "", "", ""],
    *[["select_one muc5", name, label, "", "yes", "", "", "", ""] for name, label in FIELDS],
    ["end_group", "", "", "", "", "", "", "", ""],
    [
        "text",
        "ly_do_chua_hai_long",
        "Vì sao ông/bà chưa hài lòng?",
        "Chỉ hỏi khi ông/bà chọn mức 1 hoặc 2 ở câu hài lòng chung.",
        "yes",
        "",
        "",
        "",
        "${hai_long_chung} = '1' or ${hai_long_chung} = '2'",
    ],
    [
        "select_multiple linh_vuc_uu_tien",
        "uu_tien",
        "Xã nên ưu tiên cải thiện những lĩnh vực nào? (tối đa 3)",
        "",
        "",
        "",
        "count-selected(.) <= 3",
        "Chọn tối đa 3 lĩnh vực.",
        "",
    ],
    [
        "text",
        "y_kien",
        "Ý kiến, kiến nghị khác của ông/bà",
        "",
        "",
        "",
        "string-length(.) <= 1000",
        "Tối đa 1000 ký tự.",
        "",
    ],
]

CHOICES = [
    ["list_name", "name", "label"],
    ["muc5", "1", "Rất không hài lòng"],
    ["muc5", "2", "Không hài lòng"],
    ["muc5", "3", "Bình thường"],
    ["muc5", "4", "Hài lòng"],
    ["muc5", "5", "Rất hài lòng"],
    ["do_tuoi", "duoi_30", "Dưới 30 tuổi"],
    ["do_tuoi", "tu_30_44", "Từ 30 đến 44 tuổi"],
    ["do_tuoi", "tu_45_59", "Từ 45 đến 59 tuổi"],
    ["do_tuoi", "tu_60", "Từ 60 tuổi trở lên"],
    # the commune's own hamlets replace this list when the template is installed
    ["thon", "thon_1", "Thôn 1"],
    ["thon", "thon_2", "Thôn 2"],
    ["thon", "khac", "Khác"],
    *[["linh_vuc_uu_tien", name, label.split(":")[0]] for name, label in FIELDS],
]

SETTINGS = [
    [
        "form_title",
        "form_id",
        "version",
        "kind",
        "anonymous",
        "one_response",
        "satisfaction_question",
        "satisfied_values",
        "description",
    ],
    [
        "Khảo sát mức độ hài lòng của người dân đối với kết quả xây dựng nông thôn mới",
        "ntm_hai_long",
        "2026.1",
        "ntm_satisfaction",
        "yes",
        "yes",
        "hai_long_chung",
        "4 5",
        "Phiếu lấy ý kiến người dân về kết quả xây dựng nông thôn mới, nông thôn mới thông minh.",
    ],
]


def build(path: Path = FILE) -> Path:
    wb = Workbook()
    sheets = [("survey", SURVEY), ("choices", CHOICES), ("settings", SETTINGS)]
    wb.active.title = "survey"
    for n, (title, rows) in enumerate(sheets):
        ws = wb.active if n == 0 else wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


if __name__ == "__main__":
    print(build())
