"""Lexicon speed: matching throughput, and prediction throughput of softlexicon_bilstm_crf
against the plain bilstm_crf (same sizes, lexicon matching included).

    python benchmarks/lexicon_speed.py [--data-dir ../shared/data] [--lexicon WORDS.txt]
        [--word-dims 50 32] [--projections 50] [--gazetteer] [--gazetteer-lexicon ENTITIES.txt]
        [--output results/lexicon/speed.json]

Targets (issue #13): matching >= 1M characters/s; prediction >= 0.6x bilstm_crf. Wall and CPU
seconds are both reported (CPU is what the code costs on a shared machine). Models are random
(untrained): speed does not depend on the weights. Every lexicon starts with no remembered
matches, so its matching is timed too.
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


def prediction(model: Model, texts: list[str], repeats: int) -> dict[str, float]:
    """Sentences per second of ``Predictor.predict_batch`` (best of ``repeats``)."""
    predictor = Predictor(model, ConllDatasetReader())
    best_wall = best_cpu = float("inf")
    for _ in range(repeats):
        for module in model.modules():
            lexicon = getattr(module, "lexicon", None)
            if lexicon is not None:
                lexicon.forget_matches()  # time the matching too
        with torch.inference_mode():
            _, wall, cpu = timed(lambda: predictor.predict_batch(texts, batch_size=64))
        best_wall, best_cpu = min(best_wall, wall), min(best_cpu, cpu)
    return {"sentences_per_s_wall": round(len(texts) / best_wall, 1),
            "sentences_per_s_cpu": round(len(texts) / best_cpu, 1)}


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
    parser.add_argument("--repeats", type=int, default=3)
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
    report: dict[str, Any] = {"torch_threads": 1, "matching": {
        name: matching(lexicon, texts) for name, lexicon in lexicons.items()}}
    vocab = Vocabulary.from_sentences(train, "BIOES")
    predict_texts = ["".join(s.chars) for s in dev[: args.sentences]]
    systems = {"bilstm_crf": ("bilstm_crf", {})}
    for name in lexicons:
        for word_dim in args.word_dims:
            for projection in [None, *args.projections]:
                for features in gazetteer_variants(args):
                    arguments: dict[str, Any] = {"word_dim": word_dim,
                                                 "word_projection": projection, **features}
                    if name != "jieba_dictionary":
                        arguments["lexicon"] = args.lexicon
                    projected = f", projected to {projection}" if projection else ""
                    gazetteer = (", gazetteer" if features else "") + (
                        " + outside gazetteer" if "gazetteer_lexicon" in features else "")
                    systems[f"softlexicon_bilstm_crf ({name}, word_dim {word_dim}{projected}"
                            f"{gazetteer})"] = ("softlexicon_bilstm_crf", arguments)
    speeds = {}
    for system, (config_name, arguments) in systems.items():
        torch.manual_seed(0)
        speeds[system] = prediction(model_from(config_name, vocab, arguments), predict_texts,
                                    args.repeats)
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
