"""The pictures the models learn from, drawn by our own code, and the sentences that describe them.

Modules, from the bottom up (each imports only the ones listed before it):

- shapes.py: the toolbox. Cut-out shapes described by their signed distance (circle, ellipse, triangle, box,
  capsule, lens, polygon), a Frame that places, turns and mirrors them, and paint() with anti-aliased edges.
- cats.py: the cartoon cats, the lesson's main pictures: draw_cat() and make_cats(). Its tables: the coats (FUR,
  TOY_FUR, FUR_RGB), the eyes, ears, poses, the backgrounds (BACKGROUNDS, shared with categories.py), CAT_CHOICES.
- categories.py: the seven categories (cat, tree, car, house, fish, flower, boat): draw() and make_images(). A cat
  is a cat of cats.py with a colour and a size added; the six other "things" have their own tables
  (MAIN_COLOURS, DETAILS, THING_EXTENT...) and a draw_<category>() each. CATEGORY_CHOICES lists every attribute.
- captions.py: the sentences, in French and in English, that describe a picture from its attributes (captions(),
  describe()), and parse_prompt(), which reads the attributes back from a prompt. Its tables hold words
  (NOUNS, KINDS, COLOUR_WORDS, FUR_WORDS, BACKGROUND_WORDS, SIZE_WORDS, DETAIL_WORDS).

cats.VERSION and categories.VERSION are two different numbers, always read with their module's name: the cached
datasets are named after them (data.py), so a changed drawing with an old VERSION would train on old pictures.

Adding a category, step by step (a "bird", say):

1. categories.py: append "bird" at the end of CATEGORIES (the position is the label: never reorder), and its
   French name to FRENCH. Give it its main colours and their odds in MAIN_COLOURS, its own attributes in
   DETAILS (or {}), and its THING_EXTENT, GROUND and TILT. CATEGORY_CHOICES then fills itself in.
2. categories.py: write draw_bird(img, f, thing, look), drawn facing right in its own Frame with the shapes.py
   toolbox, and add its branch to draw(). Anything random that is not an attribute goes in choose_thing_look().
3. captions.py: its nouns in NOUNS (English and French synonyms, the French gender); KINDS if it has a "kind";
   DETAIL_WORDS for a new attribute; one pair in HELD_OUT_COMBINATIONS and one in SEEN_COMBINATIONS.
4. Bump categories.VERSION so that cached datasets are redrawn, then put the new version and the fingerprint it
   prints in TABLES_OF_VERSION (tests/test_categories.py). Bump cats.VERSION only if a cat changes.
5. Tests: extend tests/test_categories.py (the labels in test_labels_never_change, and the tests that count
   seven categories) and run tests/test_captions.py, which checks that every attribute value has its words.
   The shipped categories model and the meter's classifier know seven labels: retrain them (data/categories.md).
"""
