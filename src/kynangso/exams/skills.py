"""Skill tags a question may carry: the 21 competences of the EU DigComp 2.2 framework.

QĐ 757/QĐ-BKHCN (29/04/2025) is the Vietnamese framework the levels align with, but its competence groups and
level names are not confirmed here (see DOMAIN.md §6), so a question cites it only through the free-text
``qd757`` field that a trainer copies verbatim from the decision's annex; the machine-checked tag is DigComp's.
"""

from __future__ import annotations

DIGCOMP: dict[str, str] = {
    "digcomp-1.1": "Duyệt, tìm kiếm và lọc dữ liệu, thông tin và nội dung số",
    "digcomp-1.2": "Đánh giá dữ liệu, thông tin và nội dung số",
    "digcomp-1.3": "Quản lý dữ liệu, thông tin và nội dung số",
    "digcomp-2.1": "Tương tác qua công nghệ số",
    "digcomp-2.2": "Chia sẻ qua công nghệ số",
    "digcomp-2.3": "Tham gia hoạt động công dân qua công nghệ số",
    "digcomp-2.4": "Hợp tác qua công nghệ số",
    "digcomp-2.5": "Quy tắc ứng xử trên mạng",
    "digcomp-2.6": "Quản lý danh tính số",
    "digcomp-3.1": "Tạo nội dung số",
    "digcomp-3.2": "Tích hợp và biên tập lại nội dung số",
    "digcomp-3.3": "Bản quyền và giấy phép",
    "digcomp-3.4": "Lập trình",
    "digcomp-4.1": "Bảo vệ thiết bị",
    "digcomp-4.2": "Bảo vệ dữ liệu cá nhân và quyền riêng tư",
    "digcomp-4.3": "Bảo vệ sức khỏe và sự an lành",
    "digcomp-4.4": "Bảo vệ môi trường",
    "digcomp-5.1": "Giải quyết vấn đề kỹ thuật",
    "digcomp-5.2": "Xác định nhu cầu và giải pháp công nghệ",
    "digcomp-5.3": "Sử dụng công nghệ số một cách sáng tạo",
    "digcomp-5.4": "Nhận biết khoảng trống năng lực số",
}
