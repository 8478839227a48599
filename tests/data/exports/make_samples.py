"""Write the export samples in this folder: three why-chain interview excerpts,
each saved the way a meeting or transcription tool exports it.

    python tests/data/exports/make_samples.py

The files are committed, so the tests read real files; this script says how
they were made and remakes them (the .docx files need python-docx). Times are
laid out from the words (about 0.35 s a word), cut into captions every few
seconds the way the tools cut them.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

HERE = Path(__file__).parent

# (interviewer, respondent, [(0 = interviewer | 1 = respondent, text), ...])
SCHEDULING = (
    "Dana Whitfield",
    "Sam Ortiz",
    [
        (0, "Thanks for making time today, Sam. So to start, why did you switch to Rota for your shift schedules?"),
        (1, "Mostly because it builds the weekly schedule for me, and the staff can swap shifts on their phones without calling me."),
        (0, "Why is that important to you?"),
        (1, "I used to spend every Sunday night on the spreadsheet, four or five hours, and there were still gaps on Monday morning."),
        (0, "And why does that matter?"),
        (1, "Because when a shift is empty I end up on the ovens myself at four in the morning. Now I get my Sundays back with my kids, and I'm not exhausted all week."),
        (0, "That's really helpful. Was there another reason you chose it?"),
        (1, "The price, honestly. It was forty dollars a month cheaper than the one we had."),
        (0, "Why does the lower price matter for the bakery?"),
        (1, "Our margins are thin, so that money keeps one more part-timer on the weekend rota and the Saturday queue moves faster."),
    ],
)
SCANNERS = (
    "Priya Nair",
    "Tom Becker",
    [
        (0, "Tom, why did you choose the Zebra handheld scanners for the warehouse?"),
        (1, "They read damaged barcodes the first time, and the battery lasts a whole shift."),
        (0, "Why is that important?"),
        (1, "We stopped typing SKUs in by hand, so picking errors dropped from about thirty a week to two or three."),
        (0, "Why do fewer picking errors matter to you?"),
        (1, "Every wrong shipment costs us a return and sometimes the customer. Last year we lost two big accounts over it. Now they trust us again and our reorder rate is up."),
        (0, "Thanks, that's very clear."),
        (1, "Sure, happy to help."),
    ],
)
LEDGER = (
    "Elena Rossi",
    "Mark Chen",
    [
        (0, "Why did you move the practice to Ledgerly for the accounting?"),
        (1, "It pulls the insurance payments straight from the bank feed and matches them to each patient invoice."),
        (0, "Why does that matter to you?"),
        (1, "My office manager used to reconcile the claims by hand every Friday, and we missed payments that insurers never sent."),
        (0, "And why is that important?"),
        (1, "We were losing around two thousand dollars a month that nobody chased. Now that money comes in, and I can finally stop worrying about making payroll."),
        (0, "Is there anything else behind the decision?"),
        (1, "No, that's the main thing."),
    ],
)

SECONDS_PER_WORD = 0.35
PAUSE = 0.6


def timed_turns(interview, offset=1.2):
    """[(speaker index, text, start, end, [(word, start, end), ...])]."""
    turns, clock = [], offset
    for who, text in interview[2]:
        words = []
        for word in text.split():
            words.append((word, round(clock, 3), round(clock + SECONDS_PER_WORD - 0.05, 3)))
            clock += SECONDS_PER_WORD
        turns.append((who, text, words[0][1], words[-1][2], words))
        clock += PAUSE
    return turns


def cues(interview, words_per_cue=8):
    """Captions cut every few seconds: [(speaker index, text, start, end)]."""
    out = []
    for who, _, _, _, words in timed_turns(interview):
        for i in range(0, len(words), words_per_cue):
            chunk = words[i : i + words_per_cue]
            out.append((who, " ".join(w for w, _, _ in chunk), chunk[0][1], chunk[-1][2]))
    return out


def sentences(interview):
    """Sentence-level segments, as Whisper-style models give them: [(speaker index, text, start, end, words)]."""
    out = []
    for who, _, _, _, words in timed_turns(interview):
        current = []
        for word in words:
            current.append(word)
            if word[0].endswith((".", "?", "!")):
                out.append((who, " ".join(w for w, _, _ in current), current[0][1], current[-1][2], current))
                current = []
        if current:
            out.append((who, " ".join(w for w, _, _ in current), current[0][1], current[-1][2], current))
    return out


def clock(seconds, sep=".", hours=True, pad=True):
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    ms = round((s - int(s)) * 1000)
    if not pad:  # Microsoft Teams' old style: 0:0:4.12
        return f"{int(h)}:{int(m)}:{int(s)}{sep}{ms}"
    stamp = f"{int(m):02}:{int(s):02}{sep}{ms:03}"
    return f"{int(h):02}:{stamp}" if hours or h else stamp


def minutes(seconds, width=1):
    m, s = divmod(int(seconds), 60)
    return f"{m:0{width}}:{s:02}"


def guid(*parts):
    digest = hashlib.sha1(":".join(map(str, parts)).encode()).hexdigest()
    return f"{digest[:8]}-{digest[8:12]}-{digest[12:16]}-{digest[16:20]}-{digest[20:32]}"


# --- Zoom -----------------------------------------------------------------------------


def zoom_vtt(interview):
    """Zoom cloud recording transcript: numbered cues, "Name: text" in every cue."""
    names = interview[:2]
    blocks = ["WEBVTT\n"]
    for number, (who, text, start, end) in enumerate(cues(interview), start=1):
        blocks.append(f"{number}\n{clock(start)} --> {clock(end)}\n{names[who]}: {text}\n")
    return "\n".join(blocks)


def zoom_saved_captions(interview):
    """Zoom's "Save captions" .txt: a "[Name] hh:mm:ss" header above each caption."""
    names = interview[:2]
    lines = []
    for who, text, start, _ in cues(interview, words_per_cue=12):
        lines += [f"[{names[who]}] {clock(start).split('.')[0]}", text]
    return "\n".join(lines) + "\n"


# --- Microsoft Teams -----------------------------------------------------------------


def teams_vtt(interview):
    """Teams: BOM, CRLF, GUID cue ids, <v Name> voice tags, 0:0:0.0 times, one </v> missing."""
    names = interview[:2]
    meeting = guid(interview[0], "teams")
    blocks = ["\ufeffWEBVTT\r\n"]
    for number, (who, text, start, end) in enumerate(cues(interview, words_per_cue=10)):
        close = "" if number == 3 else "</v>"
        blocks.append(
            f"{meeting}/{12 + number}-{number % 2}\r\n{clock(start, pad=False)} --> {clock(end, pad=False)}\r\n"
            f"<v {names[who]}>{text}{close}\r\n"
        )
    return "\r\n".join(blocks)


def teams_docx(interview, path):
    """Teams' .docx download: title, date, length, then per turn "Name   0:04", a line break and the turn."""
    import docx

    names = interview[:2]
    document = docx.Document()
    document.add_paragraph("Scanner follow-up with Tom Becker-20250312_140512-Meeting Recording")
    document.add_paragraph("March 12, 2025, 2:05PM")
    document.add_paragraph("1m 9s")
    document.add_paragraph(f"{names[0]} started transcription")
    for who, text, start, _, _ in timed_turns(interview):
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{names[who]}   {minutes(start)}")
        paragraph.add_run().add_break()
        paragraph.add_run(text)
    document.add_paragraph(f"{names[0]} stopped transcription")
    _save(document, path)


# --- Google Meet -----------------------------------------------------------------------


def meet_docx(interview, path):
    """Meet's notes by Gemini: an AI summary first, then the transcript: a bare timestamp, "Name: text" lines."""
    import docx

    interviewer, respondent = interview[:2]
    document = docx.Document()
    document.add_heading("📝 Notes", level=1)
    document.add_paragraph("Mar 11, 2025")
    document.add_heading(f"Practice accounting interview - {respondent}", level=2)
    document.add_paragraph(f"Invited {interviewer} {respondent}")
    document.add_paragraph("Meeting records Transcript")
    document.add_heading("Summary", level=3)
    document.add_paragraph(
        f"{interviewer} interviewed {respondent} about moving the practice to Ledgerly: automatic matching of "
        "insurance payments replaced manual reconciliation and recovers payments that were missed."
    )
    document.add_heading("Details", level=3)
    document.add_paragraph(f"Reason for switching: {respondent} said Ledgerly matches bank-feed payments to invoices.", style="List Bullet")
    document.add_paragraph("Impact: About two thousand dollars a month that was missed is now collected.", style="List Bullet")
    document.add_heading("Suggested next steps", level=3)
    document.add_paragraph(f"{interviewer} will send {respondent} the follow-up survey.", style="List Bullet")
    document.add_paragraph("You should review Gemini's notes to make sure they're accurate. Get tips and learn how Gemini takes notes")
    document.add_heading("📖 Transcript", level=1)
    document.add_paragraph("Mar 11, 2025")
    document.add_heading(f"Practice accounting interview - {respondent} - Transcript", level=2)
    document.add_heading("00:00:00", level=3)
    document.add_paragraph("")
    names = interview[:2]
    turns = timed_turns(interview, offset=0.0)
    for who, text, _, _, _ in turns:
        document.add_paragraph(f"{names[who]}: {text}")
    document.add_paragraph(f"Meeting ended after {clock(turns[-1][3]).split('.')[0]} 👋")
    document.add_paragraph(
        "This editable transcript was computer generated and might contain errors. "
        "People can also change the text after it was created."
    )
    _save(document, path)


# --- Otter -----------------------------------------------------------------------------


def otter_txt(interview):
    """Otter's .txt: "Name  0:35" header lines; a voice it does not know is "Unknown Speaker"."""
    names = (interview[0], "Unknown Speaker")
    blocks = [f"{names[who]}  {minutes(start)}\n{text}\n" for who, text, start, _, _ in timed_turns(interview)]
    return "\n".join(blocks) + "\n\nTranscribed by https://otter.ai\n"


def otter_docx(interview, path):
    """Otter's .docx: title, keywords, speakers, then "Name  00:01" paragraphs above each turn."""
    import docx

    names = interview[:2]
    document = docx.Document()
    document.add_heading("Practice accounting interview", level=1)
    document.add_paragraph("Tue, Mar 11, 2025 3:12PM • 1:12")
    document.add_paragraph("SUMMARY KEYWORDS")
    document.add_paragraph("insurance payments, bank feed, reconcile, invoices, payroll, ledgerly")
    document.add_paragraph("SPEAKERS")
    document.add_paragraph(f"{names[0]}, {names[1]}")
    for who, text, start, _, _ in timed_turns(interview):
        document.add_paragraph(f"{names[who]}  {minutes(start, width=2)}")
        document.add_paragraph(text)
    document.add_paragraph("Transcribed by https://otter.ai")
    _save(document, path)


def otter_srt(interview):
    """Otter's .srt with "Include speaker names" on: "Name: " where the speaker changes,
    lines wrapped at 32 characters, two lines a caption."""
    import textwrap

    names = interview[:2]
    blocks, last = [], None
    for number, (who, text, start, end) in enumerate(cues(interview, words_per_cue=6), start=1):
        prefix = f"{names[who]}: " if who != last else ""
        last = who
        lines = "\n".join(textwrap.wrap(prefix + text, 32))
        blocks.append(f"{number}\n{clock(start, ',')} --> {clock(end, ',')}\n{lines}\n")
    return "\n".join(blocks)


# --- WhisperX / faster-whisper ----------------------------------------------------------


def diarized(who):
    return f"SPEAKER_0{who}"


def whisperx_json(interview):
    segments, word_segments = [], []
    for who, text, start, end, words in sentences(interview):
        ws = [{"word": w, "start": s, "end": e, "score": 0.912, "speaker": diarized(who)} for w, s, e in words]
        segments.append({"start": start, "end": end, "text": f" {text}", "words": ws, "speaker": diarized(who)})
        word_segments += ws
    return json.dumps({"segments": segments, "word_segments": word_segments}, ensure_ascii=False, indent=2) + "\n"


def faster_whisper_json(interview):
    """faster-whisper segments (its Segment fields) with a diarized "speaker", as a JSON list."""
    segments = []
    for number, (who, text, start, end, _) in enumerate(sentences(interview), start=1):
        tokens = [50364 + (int(hashlib.sha1(w.encode()).hexdigest()[:4], 16) % 1000) for w in text.split()]
        segments.append({
            "id": number, "seek": int(start * 100) // 3000 * 3000, "start": start, "end": end, "text": f" {text}",
            "tokens": tokens, "avg_logprob": -0.2144, "compression_ratio": 1.4273, "no_speech_prob": 0.0112,
            "words": None, "temperature": 0.0, "speaker": diarized(who),
        })
    return json.dumps(segments, ensure_ascii=False, indent=2) + "\n"


def whisperx_srt(interview):
    blocks = []
    for number, (who, text, start, end, _) in enumerate(sentences(interview), start=1):
        blocks.append(f"{number}\n{clock(start, ',')} --> {clock(end, ',')}\n[{diarized(who)}]: {text}\n")
    return "\n".join(blocks)


def whisperx_vtt(interview):
    blocks = ["WEBVTT\n"]
    for who, text, start, end, _ in sentences(interview):
        blocks.append(f"{clock(start, hours=False)} --> {clock(end, hours=False)}\n[{diarized(who)}]: {text}\n")
    return "\n".join(blocks)


# --- speech-to-text services --------------------------------------------------------------


def assemblyai_json(interview):
    """AssemblyAI with speaker_labels: utterances, speakers "A"/"B", times in milliseconds."""
    utterances, all_words = [], []
    for who, text, start, end, words in timed_turns(interview):
        speaker = "AB"[who]
        ws = [{"text": w, "start": round(s * 1000), "end": round(e * 1000), "confidence": 0.97, "speaker": speaker} for w, s, e in words]
        utterances.append({"confidence": 0.95, "end": round(end * 1000), "speaker": speaker, "start": round(start * 1000), "text": text, "words": ws})
        all_words += ws
    full = " ".join(u["text"] for u in utterances)
    return json.dumps({
        "id": guid("assemblyai", full[:20]), "language_model": "assemblyai_default", "acoustic_model": "assemblyai_default",
        "language_code": "en_us", "status": "completed", "audio_url": "https://storage.example.com/calls/scanners.m4a",
        "text": full, "words": all_words, "utterances": utterances, "confidence": 0.95, "audio_duration": round(utterances[-1]["end"] / 1000),
        "punctuate": True, "format_text": True, "speaker_labels": True, "speakers_expected": None,
    }, ensure_ascii=False, indent=2) + "\n"


def deepgram_json(interview):
    """Deepgram pre-recorded with diarize=true: a speaker on every word."""
    words = []
    for who, _, _, _, ws in timed_turns(interview):
        for w, s, e in ws:
            bare = w.strip(".,?!").lower()
            words.append({"word": bare, "start": s, "end": e, "confidence": 0.99, "speaker": who, "speaker_confidence": 0.83, "punctuated_word": w})
    transcript = " ".join(w["punctuated_word"] for w in words)
    return json.dumps({
        "metadata": {
            "transaction_key": "deprecated", "request_id": guid("deepgram", transcript[:20]),
            "sha256": hashlib.sha256(transcript.encode()).hexdigest(), "created": "2025-03-11T15:14:02.118Z",
            "duration": words[-1]["end"] + 0.8, "channels": 1, "models": [guid("model")],
            "model_info": {guid("model"): {"name": "2-general-nova", "version": "2024-01-09.29447", "arch": "nova-2"}},
        },
        "results": {"channels": [{"alternatives": [{"transcript": transcript, "confidence": 0.99, "words": words}]}]},
    }, ensure_ascii=False, indent=2) + "\n"


def rev_json(interview):
    """Rev.ai: monologues of a numbered speaker, elements of words ("text") and punctuation ("punct")."""
    monologues = []
    for who, _, _, _, words in timed_turns(interview):
        elements = []
        for i, (w, s, e) in enumerate(words):
            bare = w.rstrip(".,?!")
            elements.append({"type": "text", "value": bare, "ts": s, "end_ts": e, "confidence": 0.98})
            if bare != w:
                elements.append({"type": "punct", "value": w[len(bare):]})
            if i < len(words) - 1:
                elements.append({"type": "punct", "value": " "})
        monologues.append({"speaker": who, "elements": elements})
    return json.dumps({"monologues": monologues}, ensure_ascii=False, indent=2) + "\n"


# --- plain text and Markdown ---------------------------------------------------------------


def plain_txt(interview):
    names = [name.split()[0] for name in interview[:2]]
    return "\n".join(f"{names[who]}: {text}" for who, text in interview[2]) + "\n"


def plain_md(interview):
    names = [name.split()[0] for name in interview[:2]]
    lines = ["---", "segment: healthcare", "interviewer: " + names[0], "---", "", "# Practice accounting interview", ""]
    return "\n".join(lines + [f"{names[who]}: {text}\n" for who, text in interview[2]])


def _save(document, path):
    # python-docx stamps the current time in the document properties; a fixed date keeps them alike when remade.
    import datetime

    stamp = datetime.datetime(2025, 3, 11, 15, 14, tzinfo=datetime.timezone.utc)
    document.core_properties.created = document.core_properties.modified = stamp
    document.save(path)


TEXT_SAMPLES = {
    "zoom.vtt": (zoom_vtt, SCHEDULING),
    "zoom-saved-captions.txt": (zoom_saved_captions, SCANNERS),
    "teams.vtt": (teams_vtt, LEDGER),
    "otter.txt": (otter_txt, SCHEDULING),
    "otter.srt": (otter_srt, SCANNERS),
    "whisperx.json": (whisperx_json, SCHEDULING),
    "faster-whisper.json": (faster_whisper_json, SCANNERS),
    "whisperx.srt": (whisperx_srt, LEDGER),
    "whisperx.vtt": (whisperx_vtt, SCHEDULING),
    "assemblyai.json": (assemblyai_json, SCANNERS),
    "deepgram.json": (deepgram_json, LEDGER),
    "rev.json": (rev_json, SCHEDULING),
    "plain.txt": (plain_txt, SCANNERS),
    "plain.md": (plain_md, LEDGER),
}
DOCX_SAMPLES = {
    "teams.docx": (teams_docx, SCANNERS),
    "meet.docx": (meet_docx, LEDGER),
    "otter.docx": (otter_docx, LEDGER),
}


def main() -> None:
    for name, (write, interview) in TEXT_SAMPLES.items():
        with open(HERE / name, "w", encoding="utf-8", newline="") as handle:
            handle.write(write(interview))
    for name, (write, interview) in DOCX_SAMPLES.items():
        write(interview, HERE / name)
    print(f"wrote {len(TEXT_SAMPLES) + len(DOCX_SAMPLES)} samples to {HERE}")


if __name__ == "__main__":
    main()
