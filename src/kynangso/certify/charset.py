"""The characters a certificate can print with its fonts (Vietnamese, Latin, punctuation).

Its own module because two sides need it and neither may depend on the other: the data model refuses a name it
could not print, and the PDF renderer cuts its fonts to exactly these characters.
"""

from __future__ import annotations

import unicodedata

_VIETNAMESE = (
    "ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝàáâãèéêìíòóôõùúýĂăĐđĨĩŨũƠơƯưẠạẢảẤấẦầẨẩẪẫẬậẮắẰằẲẳẴẵẶặẸẹẺẻẼẽẾếỀềỂểỄễỆệỈỉỊịỌọỎỏỐốỒồỔổỖỗỘộ"
    "ỚớỜờỞởỠỡỢợỤụỦủỨứỪừỬửỮữỰựỲỳỴỵỶỷỸỹ"
)
CHARSET = "".join(chr(c) for c in range(0x20, 0x7F)) + "ÄÇÑÖÜßäçñöü·–—‘’“”…•№©" + _VIETNAMESE


def printable(text: str) -> bool:
    """True when every character of ``text`` can be printed with the certificate fonts."""
    return all(c in CHARSET for c in unicodedata.normalize("NFC", text))
