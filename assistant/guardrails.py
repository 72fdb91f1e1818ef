"""Requests the assistant declines before searching: instruction overrides, requests for its own
configuration or secrets, personal data about people, legal advice or promised outcomes, and plainly
off-topic chatter.

Patterns are matched on the normalised key (NFKC, lower case), Japanese and English. What is not caught
here still has to pass the scope checks (`scope.py`) and the relevance threshold (`core.py`), which decline
anything the documents do not cover — so these lists only need the cases where the documents *would* match
some words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.japanese import normalise_key

_INJECTION = [
    r"(?:これまで|前|上記|以前|今まで)の(?:指示|命令|ルール|設定|プロンプト)",
    r"指示を(?:すべて|全て)?(?:無視|忘れ)",
    r"(?:無視|忘れ)して",
    r"ignore (?:all |any |the )?(?:previous|prior|above)",
    r"disregard (?:all |the )?(?:previous|prior|above|instructions)",
    r"forget (?:all |your |the )?(?:previous |prior )?(?:instructions|rules)",
    r"system ?prompt|システムプロンプト|内部(?:ルール|規則|設定|指示)|開発者モード|developer mode|jailbreak|dan mode",
    r"(?:あなた|君|お前)は(?:今から|これから)",
    r"ロールプレイ|role[- ]?play|pretend (?:to be|you are)|act as",
    r"(?:api|アクセス)\s*(?:キー|key|トークン|token)|パスワード|password|secret|環境変数|environment variable|設定ファイル",
    r"\bgrant_assistant_|ファイルパス|file path|/etc/|\.env\b",
]
_PERSONAL = [
    r"自宅|私用|個人の(?:電話|携帯|住所|連絡先)|携帯(?:電話)?番号|生年月日|家族構成|住所を教え|home address|private (?:phone|address|email)",
    r"(?:さん|氏|参事官|担当者)の(?:住所|携帯|個人|私生活|年齢|経歴)",
    # People who are not the programme's public contacts: their names and contacts are personal data.
    # (not 「移住者の住所要件」「申請者の連絡先は様式のどこに記入」: rules about such data, not the data)
    r"(?:社員|従業員|入居者|利用者|移住者|個人|住民|申請者)の(?:氏名|名前|連絡先|住所|電話番号|メールアドレス|年齢)"
    r"(?![^。？?]{0,8}(?:要件|制限|条件|様式|記入|欄|書き方))",
]
# Legal advice and promised outcomes: the documents state rules, not how a court or a review will decide.
_ADVICE = [
    r"(?:裁判|訴訟|提訴|弁護士)(?!\s*(?:費|の費用|報酬))|法的(?:措置|手段|責任)",  # 「弁護士費用は対象経費か」 is a cost question
    # a promise of an outcome; with a score stated (「23点なら必ず採択されますか」) the calculator answers instead
    r"^(?!.*\d+\s*点).*(?:確実|必ず|絶対)に?(?:勝て|勝つ|通る|通す|採択され|もらえ)",
]
_OFF_TOPIC = [
    r"株価|日経平均|為替|ドル円|仮想通貨|ビットコイン|競馬|宝くじ",
    r"天気|天候|気温|占い|星座|レシピ|料理の作り方",
    r"(?:詩|ポエム|小説|ジョーク|冗談)を(?:書|作|言)",
]
_COMPILED = {
    "injection": [re.compile(p) for p in _INJECTION],
    "personal": [re.compile(p) for p in _PERSONAL],
    "off_topic": [re.compile(p) for p in _OFF_TOPIC],
    "advice": [re.compile(p) for p in _ADVICE],
}
_REPLIES = {
    "injection": "その依頼にはお応えできません。この窓口は地方創生テレワーク関連の公表資料に基づく質問にのみ、資料を引用して回答します。",
    "personal": "個人の住所・私用の連絡先などの個人情報はお答えできません。",
    "off_topic": "この窓口は地方創生テレワーク関連の制度資料についての質問にのみお答えしています。",
    "advice": "訴訟の見通しや審査結果の保証など、個別の法的判断や結果の予測はお答えできません。資料に書かれた制度の内容についてお尋ねください。",
}


@dataclass(frozen=True)
class GuardrailHit:
    reason: str  # injection | personal | off_topic | advice
    message: str


def check(question: str) -> GuardrailHit | None:
    key = normalise_key(question)
    for reason, patterns in _COMPILED.items():
        if any(p.search(key) for p in patterns):
            return GuardrailHit(reason, _REPLIES[reason])
    return None
