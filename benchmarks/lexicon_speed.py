"""Lexicon speed: matching throughput, and prediction throughput of softlexicon_bilstm_crf
against the plain bilstm_crf (same sizes, lexicon matching included).

    python benchmarks/lexicon_speed.py [--data-dir ../shared/data] [--lexicon WORDS.txt]
        [--word-dims 50 32] [--projections 50] [--gazetteer] [--gazetteer-lexicon ENTITIES.txt]
        [--output results/lexicon/speed.json]

Targets (issue #13): matching >= 1M characters/s; prediction >= 0.6x bilstm_crf. Wall and CPU
seconds are both reported (CPU is what the code costs on a shared machine). Models are random
(untrained): speed does not depend on the weights. Both sides read characters and bigrams
(a random frozen bigram table), as the results' recipe does; ``--no-bigrams`` times characters
alone. Every lexicon starts with no remembered matches, so its matching is timed too. Each
round times every system once in turn; the best of ``--repeats`` rounds counts.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

import torch

from nerkit.common.build import build
from nerkit.common.config import load_config
from nerkit.data.dataset_readers import ConllDatasetReader
from nerkit.data.vocabulary import Vocabulary
from nerkit.lexicon import JiebaDictionaryLexicon, Lexicon, LexiconMatcher, WordListLexicon
from nerkit.models.model import Model
from nerkit.predictor import Predictor

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"


def timed(function: Any) -> tuple[Any, float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = function()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def matching(lexicon: Lexicon, texts: list[str]) -> dict[str, Any]:
    """Characters per second of a fresh automaton over ``texts`` (no remembered matches)."""
    matcher, build_wall, _ = timed(lambda: LexiconMatcher(lexicon.words))
    found, wall, cpu = timed(lambda: sum(len(matcher.match(t).word) for t in texts))
    characters = sum(map(len, texts))
    return {"words": len(lexicon), "automaton_build_s": round(build_wall, 2),
            "characters": characters, "matches": found,
            "chars_per_s_wall": round(characters / wall),
            "chars_per_s_cpu": round(characters / cpu)}


def model_from(config_name: str, vocab: Vocabulary, arguments: dict[str, Any]) -> Model:
    config = load_config(ROOT / "training_configs" / f"{config_name}.jsonnet", tla_vars=arguments)
    return build(config["model"], Model, context={"vocab": vocab}, path=("model",))


def predict_once(predictor: Predictor, texts: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds of one ``predict_batch`` over ``texts``, lexicon matching included."""
    for module in predictor.model.modules():
        lexicon = getattr(module, "lexicon", None)
        if lexicon is not None:
            lexicon.forget_matches()  # time the matching too
    with torch.inference_mode():
        _, wall, cpu = timed(lambda: predictor.predict_batch(texts, batch_size=64))
    return wall, cpu


def prediction(models: dict[str, Model], texts: list[str], repeats: int
               ) -> dict[str, dict[str, float]]:
    """Sentences per second of each model, best of ``repeats`` rounds; every round times each
    model once in turn, so a change of load on a shared machine reaches all of them alike."""
    predictors = {name: Predictor(model, ConllDatasetReader()) for name, model in models.items()}
    best = {name: [float("inf"), float("inf")] for name in models}
    for _ in range(repeats):
        for name, predictor in predictors.items():
            wall, cpu = predict_once(predictor, texts)
            best[name] = [min(best[name][0], wall), min(best[name][1], cpu)]
    return {name: {"sentences_per_s_wall": round(len(texts) / wall, 1),
                   "sentences_per_s_cpu": round(len(texts) / cpu, 1)}
            for name, (wall, cpu) in best.items()}


def gazetteer_variants(args: argparse.Namespace) -> list[dict[str, Any]]:
    """Config arguments of the gazetteer settings to time: none, and those the flags ask for."""
    variants: list[dict[str, Any]] = [{}]
    if args.gazetteer:
        variants.append({"gazetteer": True})
    if args.gazetteer_lexicon:
        variants.append({"gazetteer": True, "gazetteer_lexicon": args.gazetteer_lexicon})
    return variants


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", default=str(DATA))
    parser.add_argument("--lexicon", help="a word list (e.g. jieba's words counted in MSRA train)")
    parser.add_argument("--sentences", type=int, default=2000, help="dev sentences to predict")
    parser.add_argument("--repeats", type=int, default=5,
                        help="rounds; each times every system once, the best round counts")
    parser.add_argument("--word-dims", type=int, nargs="+", default=[50],
                        help="softlexicon word vector sizes to time (output: 4x each)")
    parser.add_argument("--projections", type=int, nargs="*", default=[],
                        help="also time each word size with its pooled sets projected to "
                        "these sizes (the config's word_projection)")
    parser.add_argument("--gazetteer", action="store_true",
                        help="also time each setting with the lexicon's gazetteer features "
                        "(the config's gazetteer=true)")
    parser.add_argument("--gazetteer-lexicon",
                        help="also time each setting with gazetteer features and this outside "
                        "gazetteer (the config's gazetteer_lexicon)")
    parser.add_argument("--no-bigrams", dest="bigrams", action="store_false",
                        help="time character-only models (default: characters + bigrams, the "
                        "recipe the results were trained with)")
    parser.add_argument("--output", help="write the JSON report here too")
    args = parser.parse_args()
    torch.set_num_threads(1)
    msra = Path(args.data_dir) / "msra"
    reader = ConllDatasetReader(tag_scheme="BIO")
    train, dev = reader.read(msra / "train.bio"), reader.read(msra / "dev.bio")
    texts = ["".join(s.chars) for s in train + dev]
    lexicons: dict[str, Lexicon] = {"jieba_dictionary": JiebaDictionaryLexicon()}
    if args.lexicon:
        lexicons[Path(args.lexicon).name] = WordListLexicon(args.lexicon)
    report: dict[str, Any] = {"torch_threads": 1, "bigrams": args.bigrams, "matching": {
        name: matching(lexicon, texts) for name, lexicon in lexicons.items()}}
    vocab = Vocabulary.from_sentences(train, "BIOES")
    predict_texts = ["".join(s.chars) for s in dev[: args.sentences]]
    inputs = {"bigrams": args.bigrams}
    systems = {"bilstm_crf": ("bilstm_crf", dict(inputs))}
    for name in lexicons:
        for word_dim in args.word_dims:
            for projection in [None, *args.projections]:
                for features in gazetteer_variants(args):
                    arguments: dict[str, Any] = {**inputs, "word_dim": word_dim,
                                                 "word_projection": projection, **features}
                    if name != "jieba_dictionary":
                        arguments["lexicon"] = args.lexicon
                    projected = f", projected to {projection}" if projection else ""
                    gazetteer = (", gazetteer" if features else "") + (
                        " + outside gazetteer" if "gazetteer_lexicon" in features else "")
                    systems[f"softlexicon_bilstm_crf ({name}, word_dim {word_dim}{projected}"
                            f"{gazetteer})"] = ("softlexicon_bilstm_crf", arguments)
    models = {}
    for system, (config_name, arguments) in systems.items():
        torch.manual_seed(0)
        models[system] = model_from(config_name, vocab, arguments)
    speeds = prediction(models, predict_texts, args.repeats)
    base = speeds["bilstm_crf"]
    for speed in speeds.values():
        speed["ratio_wall"] = round(speed["sentences_per_s_wall"] / base["sentences_per_s_wall"], 2)
        speed["ratio_cpu"] = round(speed["sentences_per_s_cpu"] / base["sentences_per_s_cpu"], 2)
    report["prediction"] = {"sentences": len(predict_texts), "batch_size": 64, "systems": speeds}
    text = json.dumps(report, indent=2, ensure_ascii=False)
    print(text)
    if args.output:
        Path(args.output).parent.mkdir(parents=True, exist_ok=True)
        Path(args.output).write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
