"""Gradio front end: presentation only. `format_answer` and friends are pure (tested without a browser);
`build_ui(assistant, settings)` wires them to the chat, the 出典/計算 panels, feedback and the 計算 tab.
"""

from __future__ import annotations

import html
import os
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from assistant.types import Answer, Calculation, Citation, Status, Turn

if TYPE_CHECKING:
    import gradio as gr

    from assistant.core import Assistant
    from assistant.settings import Settings

EXAMPLES = [
    "50人以上の施設の整備・運営の上限額は？",
    "定員30人の施設で総事業費6,000万円、高水準タイプなら国費はいくら？",
    "進出支援金の返還ルールを教えてください。",
    "マイナンバーカードの申請率による加点の仕組みは？",
]
STATUS_LABELS = {
    Status.ANSWERED: "",
    Status.CALCULATED: "（計算結果）",
    Status.CLARIFICATION_NEEDED: "（確認させてください）",
    Status.UNANSWERABLE: "（資料に記載なし）",
    Status.GUARDRAIL: "（お答えできません）",
}
CONTEXT_CHARS = 60


def format_answer(answer: Answer) -> str:
    """The answer as markdown: the text with its [n] markers, then a status note."""
    label = STATUS_LABELS.get(answer.status, "")
    text = html.escape(answer.text, quote=False).replace("\n", "  \n")
    return f"{text}\n\n<small>{label}</small>" if label else text


def _highlight(citation: Citation, passage_text: str | None) -> str:
    """The quoted words marked inside a little of their passage, so the reader sees them in place."""
    quote = citation.quote
    if passage_text and quote in passage_text:
        at = passage_text.index(quote)
        before = passage_text[max(0, at - CONTEXT_CHARS) : at]
        after = passage_text[at + len(quote) : at + len(quote) + CONTEXT_CHARS]
        pieces = [html.escape(before), f"<mark>{html.escape(quote)}</mark>", html.escape(after)]
        return ("…" if at > CONTEXT_CHARS else "") + "".join(pieces).replace("\n", " ") + "…"
    return f"<mark>{html.escape(quote)}</mark>"


def format_citations(answer: Answer) -> str:
    """One block per citation: document title, fiscal year, section, and the highlighted quote."""
    passages = {p.chunk_id: p.text for p in answer.passages}
    blocks = []
    for c in answer.citations:
        blocks.append(
            f"**[{c.marker}] {html.escape(c.title)}**（{html.escape(c.fiscal_year)}）  \n"
            f"<small>{html.escape(c.section)}</small>  \n"
            f"> {_highlight(c, passages.get(c.chunk_id))}"
        )
    return "\n\n".join(blocks)


def format_calculation(calc: Calculation) -> str:
    """Inputs, formula, result and the quoted rules of a calculation."""
    inputs = "  \n".join(f"- {html.escape(str(k))}: {html.escape(str(v))}" for k, v in calc.inputs.items())
    result = "  \n".join(f"- {html.escape(str(k))}: **{html.escape(str(v))}**" for k, v in calc.result.items())
    rules = "\n".join(
        f"- {html.escape(r.name)} = {html.escape(r.display_value())}{html.escape(r.unit)} — 「{html.escape(r.quote)}」"
        f"<small>（{html.escape(r.source)} {html.escape(r.section)}）</small>"
        for r in calc.rules
    )
    return (
        f"**{html.escape(calc.summary)}**\n\n**入力**  \n{inputs}\n\n**計算式**  \n`{html.escape(calc.formula)}`\n\n"
        f"**結果**  \n{result}\n\n**根拠（資料の記載）**\n{rules}"
    )


def message_text(content: Any) -> str:
    """The text of one chat message's content in any form Gradio 6 sends it: a string, a list of parts
    (`{"type": "text", "text": …}` or plain strings), or one part. File and image parts carry no text."""
    if isinstance(content, str):
        return content
    if isinstance(content, dict):
        return str(content.get("text", "")) if content.get("type", "text") == "text" else ""
    if isinstance(content, (list, tuple)):
        return "\n".join(t for t in (message_text(part) for part in content) if t)
    return ""


def _is_panel(message: Any) -> bool:
    """The 出典/計算 panels are assistant messages with a metadata title; they are not conversation."""
    meta = message.get("metadata") if isinstance(message, dict) else getattr(message, "metadata", None)
    return bool((meta or {}).get("title"))


def _role_and_text(message: Any) -> tuple[str, str]:
    if isinstance(message, dict):
        return str(message.get("role", "")), message_text(message.get("content"))
    return str(getattr(message, "role", "")), message_text(getattr(message, "content", ""))


def chat_history(messages: list[Any] | None) -> list[Turn]:
    """Chat messages -> the same `Turn` list the API and the CLI pass to `assistant.ask`."""
    turns = []
    for m in messages or []:
        role, text = _role_and_text(m)
        if _is_panel(m) or role not in ("user", "assistant") or not text.strip():
            continue
        turns.append(Turn(role, text))  # type: ignore[arg-type]
    return turns


def liked_exchange(messages: list[Any] | None, index: int) -> tuple[str, str]:
    """(question, answer) as plain text for the liked assistant message at `index`."""
    messages = list(messages or [])
    if not 0 <= index < len(messages):
        return "", ""
    _, answer = _role_and_text(messages[index])
    question = ""
    for m in reversed(messages[:index]):
        role, text = _role_and_text(m)
        if role == "user" and text.strip():
            question = text
            break
    return question, answer


def build_ui(assistant: Assistant, settings: Settings, embed: bool = False) -> gr.Blocks:
    import gradio as gr

    from assistant.errors import GrantAssistantError
    from assistant.feedback import FeedbackStore

    feedback = FeedbackStore(settings.feedback_db)

    def respond(message: str, messages: list[Any]) -> Iterator[tuple[str, list[Any]]]:
        messages = list(messages or [])  # dicts from the browser, gr.ChatMessage for the 出典/計算 panels
        history = chat_history(messages)
        messages.append({"role": "user", "content": message})
        yield "", messages
        try:
            answer = assistant.ask(message, history)
        except GrantAssistantError as exc:
            messages.append({"role": "assistant", "content": f"⚠️ {exc}"})
            yield "", messages
            return
        full = format_answer(answer)
        messages.append({"role": "assistant", "content": ""})
        step = max(8, len(full) // 20)  # stream in ~20 steps
        for end in range(step, len(full) + step, step):
            messages[-1] = {"role": "assistant", "content": full[:end]}
            yield "", messages
        if answer.citations:
            messages.append(gr.ChatMessage(content=format_citations(answer),
                                           metadata={"title": f"出典（{len(answer.citations)}件）", "status": "done"}))
        if answer.calculation is not None:
            messages.append(gr.ChatMessage(content=format_calculation(answer.calculation),
                                           metadata={"title": "計算", "status": "done"}))
        yield "", messages

    def on_like(messages: list[dict[str, Any]], comment: str, data: gr.LikeData) -> str:
        index = data.index if isinstance(data.index, int) else data.index[0]
        question, answer_text = liked_exchange(messages, index)
        if not question or not answer_text:
            return "フィードバックを記録できませんでした（回答が見つかりません）。"
        feedback.add(question, answer_text, 1 if data.liked else -1, (comment or "")[:4000])
        return "フィードバックを記録しました。ありがとうございます。"

    # Gradio injects event data by the parameter's type; string annotations (PEP 563) hide it.
    on_like.__annotations__["data"] = gr.LikeData

    with gr.Blocks(title="地方創生テレワーク 交付金アシスタント", analytics_enabled=False) as demo:
        if not embed:
            gr.Markdown(
                "## 地方創生テレワーク 交付金アシスタント\n"
                "公表資料（制度概要・施策集）から、出典を示してお答えします。金額・補助率・評価は計算機で算出します。"
            )
        with gr.Tab("質問"):
            chatbot = gr.Chatbot(label="回答", height=520, elem_id="chat", feedback_options=("Like", "Dislike"))
            with gr.Row():
                box = gr.Textbox(placeholder="質問を入力してください（例：50人以上の施設の上限額は？）", show_label=False,
                                 scale=5, elem_id="question", max_length=settings.max_question_chars)
                send = gr.Button("送信", variant="primary", scale=1, elem_id="send")
            gr.Examples(EXAMPLES, inputs=box, label="質問の例")
            comment = gr.Textbox(label="コメント（任意・回答の「良い／良くない」ボタンと一緒に記録されます）", lines=1,
                                 elem_id="comment")
            feedback_note = gr.Markdown()
            clear = gr.Button("会話をリセット")
            box.submit(respond, [box, chatbot], [box, chatbot])
            send.click(respond, [box, chatbot], [box, chatbot])
            chatbot.like(on_like, [chatbot, comment], feedback_note)
            clear.click(lambda: ([], ""), None, [chatbot, box])
        if not embed:
            _calculator_tab(gr, assistant)
    return demo


def _calculator_tab(gr: Any, assistant: Assistant) -> None:
    from assistant.errors import GrantAssistantError

    try:
        specs = assistant.calculators()
    except ImportError:
        return
    if not specs:
        return
    with gr.Tab("計算"):
        gr.Markdown("各計算機は資料に記載された上限額・補助率・基準をそのまま用います。金額は「6,000万円」「1.2億円」のようにも入力できます。")
        for spec in specs:
            properties = spec.input_schema.get("properties", {})
            required = set(spec.input_schema.get("required", []))
            with gr.Tab(spec.title):
                gr.Markdown(spec.description)
                fields = []
                for name, schema in properties.items():
                    label = schema.get("title", name) + ("（必須）" if name in required else "")
                    if "enum" in schema:
                        fields.append(gr.Dropdown(choices=[str(v) for v in schema["enum"]], label=label))
                    else:
                        fields.append(gr.Textbox(label=label, placeholder=str(schema.get("description", ""))))
                out = gr.Markdown()
                names = list(properties)

                def run(*values: Any, _kind: str = spec.kind, _names: list[str] = names) -> str:
                    inputs = {n: v for n, v in zip(_names, values, strict=True) if v not in (None, "")}
                    try:
                        return format_calculation(assistant.calculate(_kind, inputs))
                    except (GrantAssistantError, ValueError, TypeError, KeyError) as exc:
                        return f"⚠️ {html.escape(str(exc))}"

                gr.Button("計算する").click(run, fields, out)


def main() -> None:
    """Serve the chat alone (without the JSON API): `python ui.py`."""
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    from assistant.core import build_assistant
    from assistant.settings import Settings
    from ingest.pipeline import ensure_index

    settings = Settings()
    ensure_index(settings)
    build_ui(build_assistant(settings), settings).launch(server_name=settings.host, server_port=settings.port)


if __name__ == "__main__":
    main()
