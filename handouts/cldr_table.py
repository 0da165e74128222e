"""CLDR data for the shipped catalogues, taken from Babel by scripts/build_cldr_table.py: do not edit, run the script."""

from __future__ import annotations

BABEL = '2.19.0'  # the Babel release (and so the CLDR release) it was taken from
# A tag as handouts.i18n gives it to Babel → Babel's name of its locale.
LOCALES: dict[str, str] = {
    'ar': 'ar',
    'en': 'en',
    'es': 'es',
    'fil': 'fil',
    'fr': 'fr',
    'ht': 'ht',
    'ko': 'ko',
    'pt': 'pt',
    'ru': 'ru',
    'vi': 'vi',
    'zh-Hans': 'zh_Hans',
    'zh-Hant': 'zh_Hant',
}
# Locale → CLDR's date pattern for each skeleton.
SKELETONS: dict[str, dict[str, str]] = {
    'ar': {
        'MMMEd': 'E، d MMM',
        'yMMMEd': 'E، d MMM y',
    },
    'en': {
        'MMMEd': 'E, MMM d',
        'yMMMEd': 'E, MMM d, y',
    },
    'en_GB': {
        'MMMEd': 'E d MMM',
        'yMMMEd': 'E, d MMM y',
    },
    'en_US': {
        'MMMEd': 'E, MMM d',
        'yMMMEd': 'E, MMM d, y',
    },
    'es': {
        'MMMEd': 'E, d MMM',
        'yMMMEd': 'E, d MMM y',
    },
    'es_US': {
        'MMMEd': "E, d 'de' MMM",
        'yMMMEd': "EEE, d 'de' MMM 'de' y",
    },
    'fil': {
        'MMMEd': 'E, MMM d',
        'yMMMEd': 'E, MMM d, y',
    },
    'fr': {
        'MMMEd': 'E d MMM',
        'yMMMEd': 'E d MMM y',
    },
    'ht': {
        'MMMEd': 'MMM d, E',
        'yMMMEd': 'y MMM d, E',
    },
    'ko': {
        'MMMEd': 'MMM d일 (E)',
        'yMMMEd': 'y년 MMM d일 (E)',
    },
    'pt': {
        'MMMEd': "E, d 'de' MMM",
        'yMMMEd': "E, d 'de' MMM 'de' y",
    },
    'ru': {
        'MMMEd': 'ccc, d MMM',
        'yMMMEd': "E, d MMM y\u202f'г'.",
    },
    'vi': {
        'MMMEd': 'E, d MMM',
        'yMMMEd': 'E, d MMM, y',
    },
    'zh_Hans': {
        'MMMEd': 'M月d日E',
        'yMMMEd': 'y年M月d日E',
    },
    'zh_Hant': {
        'MMMEd': 'M月d日E',
        'yMMMEd': 'y年M月d日E',
    },
}
# Locale → pattern field → the seven weekday names (Monday first) or twelve month names Babel writes for it.
NAMES: dict[str, dict[str, tuple[str, ...]]] = {
    'ar': {
        'E': ('الاثنين', 'الثلاثاء', 'الأربعاء', 'الخميس', 'الجمعة', 'السبت', 'الأحد'),
        'EEE': ('الاثنين', 'الثلاثاء', 'الأربعاء', 'الخميس', 'الجمعة', 'السبت', 'الأحد'),
        'MMM': ('يناير', 'فبراير', 'مارس', 'أبريل', 'مايو', 'يونيو', 'يوليو', 'أغسطس', 'سبتمبر', 'أكتوبر', 'نوفمبر', 'ديسمبر'),
    },
    'en': {
        'E': ('Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'),
        'EEE': ('Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'),
        'MMM': ('Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'),
    },
    'en_GB': {
        'E': ('Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'),
        'EEE': ('Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'),
        'MMM': ('Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sept', 'Oct', 'Nov', 'Dec'),
    },
    'en_US': {
        'E': ('Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'),
        'EEE': ('Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'),
        'MMM': ('Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'),
    },
    'es': {
        'E': ('lun', 'mar', 'mié', 'jue', 'vie', 'sáb', 'dom'),
        'EEE': ('lun', 'mar', 'mié', 'jue', 'vie', 'sáb', 'dom'),
        'MMM': ('ene', 'feb', 'mar', 'abr', 'may', 'jun', 'jul', 'ago', 'sept', 'oct', 'nov', 'dic'),
    },
    'es_US': {
        'E': ('lun', 'mar', 'mié', 'jue', 'vie', 'sáb', 'dom'),
        'EEE': ('lun', 'mar', 'mié', 'jue', 'vie', 'sáb', 'dom'),
        'MMM': ('ene', 'feb', 'mar', 'abr', 'may', 'jun', 'jul', 'ago', 'sep', 'oct', 'nov', 'dic'),
    },
    'fil': {
        'E': ('Lun', 'Mar', 'Miy', 'Huw', 'Biy', 'Sab', 'Lin'),
        'EEE': ('Lun', 'Mar', 'Miy', 'Huw', 'Biy', 'Sab', 'Lin'),
        'MMM': ('Ene', 'Peb', 'Mar', 'Abr', 'May', 'Hun', 'Hul', 'Ago', 'Set', 'Okt', 'Nob', 'Dis'),
    },
    'fr': {
        'E': ('lun.', 'mar.', 'mer.', 'jeu.', 'ven.', 'sam.', 'dim.'),
        'EEE': ('lun.', 'mar.', 'mer.', 'jeu.', 'ven.', 'sam.', 'dim.'),
        'MMM': ('janv.', 'févr.', 'mars', 'avr.', 'mai', 'juin', 'juil.', 'août', 'sept.', 'oct.', 'nov.', 'déc.'),
    },
    'ht': {
        'E': ('Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'),
        'EEE': ('Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'),
        'MMM': ('M01', 'M02', 'M03', 'M04', 'M05', 'M06', 'M07', 'M08', 'M09', 'M10', 'M11', 'M12'),
    },
    'ko': {
        'E': ('월', '화', '수', '목', '금', '토', '일'),
        'EEE': ('월', '화', '수', '목', '금', '토', '일'),
        'MMM': ('1월', '2월', '3월', '4월', '5월', '6월', '7월', '8월', '9월', '10월', '11월', '12월'),
    },
    'pt': {
        'E': ('seg.', 'ter.', 'qua.', 'qui.', 'sex.', 'sáb.', 'dom.'),
        'EEE': ('seg.', 'ter.', 'qua.', 'qui.', 'sex.', 'sáb.', 'dom.'),
        'MMM': ('jan.', 'fev.', 'mar.', 'abr.', 'mai.', 'jun.', 'jul.', 'ago.', 'set.', 'out.', 'nov.', 'dez.'),
    },
    'ru': {
        'E': ('пн', 'вт', 'ср', 'чт', 'пт', 'сб', 'вс'),
        'EEE': ('пн', 'вт', 'ср', 'чт', 'пт', 'сб', 'вс'),
        'MMM': ('янв.', 'февр.', 'мар.', 'апр.', 'мая', 'июн.', 'июл.', 'авг.', 'сент.', 'окт.', 'нояб.', 'дек.'),
        'ccc': ('пн', 'вт', 'ср', 'чт', 'пт', 'сб', 'вс'),
    },
    'vi': {
        'E': ('Thứ 2', 'Thứ 3', 'Thứ 4', 'Thứ 5', 'Thứ 6', 'Thứ 7', 'CN'),
        'EEE': ('Thứ 2', 'Thứ 3', 'Thứ 4', 'Thứ 5', 'Thứ 6', 'Thứ 7', 'CN'),
        'MMM': ('thg 1', 'thg 2', 'thg 3', 'thg 4', 'thg 5', 'thg 6', 'thg 7', 'thg 8', 'thg 9', 'thg 10', 'thg 11', 'thg 12'),
    },
    'zh_Hans': {
        'E': ('周一', '周二', '周三', '周四', '周五', '周六', '周日'),
        'EEE': ('周一', '周二', '周三', '周四', '周五', '周六', '周日'),
        'MMM': ('1月', '2月', '3月', '4月', '5月', '6月', '7月', '8月', '9月', '10月', '11月', '12月'),
    },
    'zh_Hant': {
        'E': ('週一', '週二', '週三', '週四', '週五', '週六', '週日'),
        'EEE': ('週一', '週二', '週三', '週四', '週五', '週六', '週日'),
        'MMM': ('1月', '2月', '3月', '4月', '5月', '6月', '7月', '8月', '9月', '10月', '11月', '12月'),
    },
}
# Locale → N: Babel writes every whole number 0 ≤ n < N as its bare digits.
PLAIN_NUMBERS: dict[str, int] = {
    'ar': 1000,
    'en': 1000,
    'en_GB': 1000,
    'en_US': 1000,
    'es': 1000,
    'es_US': 1000,
    'fil': 1000,
    'fr': 1000,
    'ht': 1000,
    'ko': 1000,
    'pt': 1000,
    'ru': 1000,
    'vi': 1000,
    'zh_Hans': 1000,
    'zh_Hant': 1000,
}
# Locale → the plural category of 0, 1, 2 … 199, one letter each (PLURAL_LETTERS).
PLURALS: dict[str, str] = {
    'ar': 'zotffffffffmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmxxxffffffffmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmm',
    'en': 'xoxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
    'en_GB': 'xoxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
    'en_US': 'xoxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
    'es': 'xoxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
    'es_US': 'xoxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
    'fil': 'ooooxoxooxooooxoxooxooooxoxooxooooxoxooxooooxoxooxooooxoxooxooooxoxooxooooxoxooxooooxoxooxooooxoxooxooooxoxooxooooxoxooxooooxoxooxooooxoxooxooooxoxooxooooxoxooxooooxoxooxooooxoxooxooooxoxooxooooxoxoox',
    'fr': 'ooxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
    'ht': 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
    'ko': 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
    'pt': 'ooxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
    'ru': 'mofffmmmmmmmmmmmmmmmmofffmmmmmmofffmmmmmmofffmmmmmmofffmmmmmmofffmmmmmmofffmmmmmmofffmmmmmmofffmmmmmmofffmmmmmmmmmmmmmmmmofffmmmmmmofffmmmmmmofffmmmmmmofffmmmmmmofffmmmmmmofffmmmmmmofffmmmmmmofffmmmmm',
    'vi': 'ooxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
    'zh_Hans': 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
    'zh_Hant': 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
}
PLURAL_LETTERS: dict[str, str] = {
    'z': 'zero',
    'o': 'one',
    't': 'two',
    'f': 'few',
    'm': 'many',
    'x': 'other',
}
# Catalogue tag → the language's name in English.
LANGUAGE_NAMES: dict[str, str] = {
    'ar': 'Arabic',
    'en': 'English',
    'es': 'Spanish',
    'fr': 'French',
    'ht': 'Haitian Creole',
    'ko': 'Korean',
    'pt': 'Portuguese',
    'ru': 'Russian',
    'tl': 'Filipino (Philippines)',
    'vi': 'Vietnamese',
    'zh-Hans': 'Chinese (Simplified)',
    'zh-Hant': 'Chinese (Traditional)',
}
