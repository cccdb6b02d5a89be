"""`studyml pack new`: a small valid pack with one card and one quiz item of each kind, and its editor schemas."""

from __future__ import annotations

from pathlib import Path

from studyml.content.models import MAX_ID, slugify
from studyml.content.schema import FILES, SCHEMA_DIR, modeline, write_schemas

PACK = """\
id: {pack_id}
version: 0.1.0
title: {{en: My pack, ko: 나의 팩}}
languages: [en, ko]
license: CC-BY-4.0
authors: [Your Name]
requires:
  studyml: ">=0.1"
tags:                       # the name learners see for each tag, in every language
  activation: {{en: activation, ko: 활성화 함수}}
"""

CARDS = """\
- id: sigmoid
  title: {en: The sigmoid function, ko: 시그모이드 함수}
  front:
    en: What does the sigmoid function compute, and what is its derivative?
    ko: 시그모이드 함수는 무엇을 계산하고, 그 도함수는 무엇인가요?
  back:
    en: |
      $\\sigma(x) = \\frac{1}{1+e^{-x}}$ squashes any real number into $(0, 1)$.
      Its derivative is $\\sigma(x)(1-\\sigma(x))$, at most $0.25$ (at $x = 0$).
    ko: |
      $\\sigma(x) = \\frac{1}{1+e^{-x}}$는 모든 실수를 $(0, 1)$ 구간으로 압축합니다.
      도함수는 $\\sigma(x)(1-\\sigma(x))$이며, 최댓값은 $x = 0$에서의 $0.25$입니다.
  tags: [activation]
  sources:
    - ref: "Goodfellow, Bengio & Courville (2016), Deep Learning, §3.10"
"""

QUIZZES = """\
- id: sigmoid-range
  card: sigmoid
  kind: choice
  prompt: {en: What is the range of the sigmoid function?, ko: 시그모이드 함수의 치역은 무엇인가요?}
  choices:
    a: {en: "(0, 1)", ko: "(0, 1)"}
    b: {en: "(-1, 1)", ko: "(-1, 1)"}
    c: {en: "[0, ∞)", ko: "[0, ∞)"}
  answer: a
  explanation: {en: "1/(1+e^(-x)) is always between 0 and 1.", ko: "1/(1+e^(-x))는 항상 0과 1 사이에 있습니다."}

- id: sigmoid-properties
  card: sigmoid
  kind: multi
  prompt: {en: Which statements about the sigmoid are true?, ko: 시그모이드에 대해 옳은 것을 모두 고르세요.}
  choices:
    a: {en: It is differentiable everywhere, ko: 모든 점에서 미분 가능합니다}
    b: {en: Its output is centred on zero, ko: 출력의 중심이 0입니다}
    c: {en: Its gradient vanishes for large inputs, ko: 입력이 크면 기울기가 사라집니다}
  answers: [a, c]
  explanation: {en: "The sigmoid is smooth everywhere and saturates for large inputs.", ko: "시그모이드는 모든 점에서 매끄럽고, 입력이 크면 포화됩니다."}
  why:  # feedback on one option, shown under the label the learner saw; never write "(b)" in the explanation
    b: {en: "Its outputs are centred on 0.5, not 0.", ko: "출력의 중심은 0이 아니라 0.5입니다."}

- id: sigmoid-backprop-order
  card: sigmoid
  kind: order
  prompt: {en: Put the steps of one training step in order., ko: 한 번의 학습 단계를 순서대로 나열하세요.}
  steps:
    - {en: Forward pass, ko: 순전파}
    - {en: Compute the loss, ko: 손실 계산}
    - {en: Backward pass, ko: 역전파}
    - {en: Update the weights, ko: 가중치 갱신}
  explanation: {en: "Gradients need the loss, which needs the forward pass.", ko: "기울기는 손실이 있어야, 손실은 순전파가 있어야 계산할 수 있습니다."}

- id: sigmoid-derivative-at-zero
  card: sigmoid
  kind: numeric
  prompt: {en: "What is σ'(0)?", ko: "σ'(0)의 값은 얼마인가요?"}
  answer: 0.25
  tolerance: {abs: 0.001}
  explanation: {en: "σ(0) = 0.5, so σ'(0) = 0.5 × 0.5 = 0.25.", ko: "σ(0) = 0.5이므로 σ'(0) = 0.5 × 0.5 = 0.25입니다."}

- id: sigmoid-name
  card: sigmoid
  kind: text
  prompt: {en: "Name the function 1/(1+e^(-x)).", ko: "1/(1+e^(-x))라는 함수의 이름은 무엇인가요?"}
  answers:
    en: [sigmoid, logistic function, logistic sigmoid]
    ko: [시그모이드, 시그모이드 함수, 로지스틱 함수]
  explanation: {en: "It is the logistic sigmoid.", ko: "로지스틱 시그모이드 함수입니다."}

- id: sigmoid-derivative-expr
  card: sigmoid
  kind: expr
  prompt: {en: "Write σ'(x) in terms of x (you may use sigmoid(x)).", ko: "σ'(x)를 x로 나타내세요(sigmoid(x)를 써도 됩니다)."}
  symbols: [x]
  signed: [x]  # an input may be negative: the answer must hold there too
  # ranges: {x: [-5, 5]}  # where a symbol's values lie ({p: [0, 1]} for a probability): compared there only
  answer: sigmoid(x)*(1 - sigmoid(x))
  explanation: {en: "Also accepted: exp(-x)/(1+exp(-x))^2.", ko: "exp(-x)/(1+exp(-x))^2도 정답입니다."}
"""


def pack_id_for(name: str) -> str:
    """The pack id a folder's name gives: lowercase letters and digits, other runs of characters as one '-', at
    most MAX_ID characters; `pack-` in front when it would not start with a letter. Never one fixed id: two packs
    made in folders `1a` and `2b` both got `my-pack`, and the second install replaced the first."""
    pack_id = slugify(name)
    if not pack_id[:1].isalpha():
        pack_id = f"pack-{pack_id}".rstrip("-")
    return pack_id[:MAX_ID].rstrip("-")


def scaffold(folder: Path) -> Path:
    """Create the pack in `folder` (which must not exist or be empty); its id is pack_id_for(its name)."""
    if folder.exists() and not folder.is_dir():
        raise FileExistsError(f"{folder} is a file; give a new or empty folder for the pack")
    if folder.exists() and any(folder.iterdir()):
        raise FileExistsError(f"{folder} already exists and is not empty; choose a new folder")
    pack_id = pack_id_for(folder.resolve().name)
    (folder / "cards").mkdir(parents=True, exist_ok=True)
    (folder / "quizzes").mkdir(parents=True, exist_ok=True)
    # Editors that speak yaml-language-server complete and check each file against the schema named on its first line.
    write_schemas(folder / SCHEMA_DIR)
    (folder / "pack.yaml").write_text(modeline(FILES["pack.yaml"], 0) + PACK.format(pack_id=pack_id), encoding="utf-8")
    (folder / "cards" / "basics.yaml").write_text(modeline(FILES["cards"], 1) + CARDS, encoding="utf-8")
    (folder / "quizzes" / "basics.yaml").write_text(modeline(FILES["quizzes"], 1) + QUIZZES, encoding="utf-8")
    return folder
