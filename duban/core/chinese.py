"""Small text helpers for Chinese government documents.

Reposted copies of plans and notices often come in traditional characters or
with full-width/half-width punctuation mixed; matching names across them needs
one normal form.
"""

import re
import unicodedata

# Traditional → simplified for characters that occur in unit names, leaders'
# names, holiday notices and plan headings. Not a general converter: enough to
# match the names these documents use.
_T2S_PAIRS = (
    "區区 縣县 鎮镇 辦办 會会 議议 發发 務务 稅税 財财 審审 計计 監监 管管 衛卫 環环 資资 規规 劃划 國国 網网 電电 氣气 "
    "業业 團团 體体 實实 術术 據据 數数 聯联 證证 書书 營营 優优 級级 專专 項项 動动 察察 紀纪 檢检 組组 織织 開开 學学 習习 "
    "農农 產产 權权 執执 總总 長长 領领 導导 負负 責责 時时 間间 節节 點点 韜韬 陳陈 萬万 勁劲 濤涛 鋒锋 劉刘 呂吕 吳吴 "
    "淩凌 馮冯 張张 楊杨 趙赵 孫孙 鄭郑 謝谢 許许 鄧邓 蕭萧 葉叶 蘇苏 羅罗 盧卢 蔣蒋 蔡蔡 賈贾 錦锦 韓韩 "
    "屬属 關关 係系 與与 為为 對对 於于 後后 啟启 條条 歲岁 齊齐 廣广 東东 蘭兰 灣湾 陽阳 漢汉 貴贵 嶺岭 "
    "應应 態态 勵励 機机 構构 設设 建建 築筑 標标 準准 價价 費费 稱称 號号 處处 與与 並并 週周 邊边 門门 "
    "輔辅 幹干 黨党 員员 園园 場场 經经 濟济 質质 險险 貸贷 銀银 額额 簡简 約约 協协 調调 統统 線线 "
    "層层 個个 們们 來来 這这 過过 還还 進进 運运 達达 遠远 選选 連连 遲迟 遞递 適适 "
    "曆历 歷历 節节 勞劳 慶庆 陰阴 曆历 舊旧 歡欢 觀观 倉仓 災灾 險险 隊队 鐵铁 鋼钢 礦矿 "
    "規规 視视 覽览 觸触 訂订 訊讯 記记 許许 設设 訪访 詢询 試试 詳详 誠诚 說说 請请 諮咨 課课 論论 "
    "讓让 護护 變变 讀读 讚赞 貿贸 資资 賠赔 購购 賣卖 買买 贈赠 車车 軌轨 軟软 輕轻 載载 辦办 "
    "週周 壹一 貳二 參叁 陸陆 "
    # attributions and deadlines in reposted prose plans (牽頭單位, 列第一位的為牽頭單位, 完成時限 …)
    "牽牵 頭头 單单 傳传 億亿 內内 兩两 問问 堅坚 壓压 將将 廳厅 強强 徹彻 戶户 撐撑 減减 現现 盡尽 確确 範范 "
    "結结 給给 綜综 緩缓 縮缩 續续 罰罚 舉举 認认 識识 貫贯 賬账 輸输 轉转 違违 鄉乡 銷销 錄录 際际 隨随 雙双 "
    "難难 雲云 題题 須须 擔担 繳缴 與与 為为 稅税 監监 "
)
_T2S = {}
for pair in _T2S_PAIRS.split():
    if len(pair) == 2:
        _T2S[ord(pair[0])] = pair[1]

_PUNCT_TO_ASCII = str.maketrans({
    "（": "(", "）": ")", "：": ":", "；": ";", "，": ",", "、": ",", "。": ".", "！": "!", "？": "?",
    "〔": "[", "〕": "]", "【": "[", "】": "]", "［": "[", "］": "]", "“": '"', "”": '"', "‘": "'", "’": "'",
    "《": "<", "》": ">", "　": " ",
})


def to_simplified(text):
    return text.translate(_T2S)


def fold_width(text):
    """Full-width ASCII letters/digits to half-width (NFKC), keeping Chinese punctuation."""
    return "".join(unicodedata.normalize("NFKC", ch) if "\uff01" <= ch <= "\uff5e" and ch not in "（）：；，" else ch
                   for ch in text)


_SPACES = re.compile(r"\s+")


def squeeze(text):
    """Remove all whitespace: PDF extraction breaks names like '区 审计局' across lines."""
    return _SPACES.sub("", text)


def match_key(text):
    """A normal form for comparing names and sentences: simplified, no spaces, no punctuation."""
    text = to_simplified(fold_width(text)).translate(_PUNCT_TO_ASCII)
    return re.sub(r"[\s\"'()<>\[\].,;:!?*·\-—_/]", "", text)
