"""The tagger trains, archives and reloads identically with each decoder."""

from __future__ import annotations

import pytest
import torch

from nerkit.data.dataset_readers.conll import ConllDatasetReader
from nerkit.data.vocabulary import Vocabulary
from nerkit.models.tagger import Tagger
from nerkit.modules.decoders.softmax import SoftmaxDecoder
from nerkit.modules.seq2seq_encoders.rnn import LstmSeq2SeqEncoder
from nerkit.modules.token_embedders.embedding import Embedding
from nerkit.testing.model_test_case import ModelTestCase


class TestTagger(ModelTestCase):
    @pytest.mark.parametrize(("decoder", "scheme"), [("softmax", "BIO"), ("crf", "BIEO")])
    def test_train_save_load(self, fixtures_root, tmp_path, decoder, scheme):
        self.ensure_model_can_train_save_and_load(
            fixtures_root / "configs" / "tagger_crf.jsonnet", tmp_path / "run",
            tla_vars={"fixtures": str(fixtures_root), "decoder": decoder, "tag_scheme": scheme},
        )

    def test_plain_python_construction(self, fixtures_root):
        sentences = ConllDatasetReader().read(fixtures_root / "data" / "tiny.bio")
        vocab = Vocabulary.from_sentences(sentences, "BIOES")
        embedder = Embedding(vocab, embedding_dim=4)
        encoder = LstmSeq2SeqEncoder(input_dim=4, hidden_dim=3)
        decoder = SoftmaxDecoder(vocab, 6)
        model = Tagger(vocab, embedder, encoder, decoder).eval()
        batch = model.featurize(sentences[:2])
        output = model(batch, decode=True)
        encoded = encoder(embedder(batch["features"], batch["mask"]), batch["mask"])
        expected_loss = decoder.loss(encoded, batch["mask"], batch["tags"])
        assert torch.allclose(output["loss"], expected_loss)
        longest = max(len(s) for s in sentences[:2])
        assert output["predictions"].shape == (2, longest)
        assert torch.equal(output["predictions"], decoder.decode(encoded, batch["mask"]))
        assert 0 <= int(output["predictions"].min()) <= int(output["predictions"].max())
        assert int(output["predictions"].max()) < vocab.num_labels

    def test_mismatched_dimensions_are_refused(self, fixtures_root):
        sentences = ConllDatasetReader().read(fixtures_root / "data" / "tiny.bio")
        vocab = Vocabulary.from_sentences(sentences, "BIO")
        with pytest.raises(ValueError, match="input_dim"):
            Tagger(vocab, Embedding(vocab, 4), LstmSeq2SeqEncoder(5, 3))

    def test_unlabelled_batch_has_no_loss(self, fixtures_root):
        sentences = ConllDatasetReader().read(fixtures_root / "data" / "tiny.bio")
        vocab = Vocabulary.from_sentences(sentences, "BIO")
        model = Tagger(vocab, Embedding(vocab, 4))
        reader = ConllDatasetReader()
        output = model(model.featurize([reader.text_to_sentence("北京")]), decode=True)
        assert "loss" not in output and output["predictions"].shape == (1, 2)
