"""AttentionLstmDecoder: the paper's formula, training, greedy/beam decoding and constraints."""

from __future__ import annotations

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from nerkit.common.errors import ConfigurationError
from nerkit.data.tag_schemes import SCHEMES, validate_tags
from nerkit.data.vocabulary import Vocabulary
from nerkit.modules.attention import AdditiveAttention, Attention, BilinearAttention
from nerkit.modules.decoders import AttentionLstmDecoder, Decoder
from nerkit.modules.decoders.beam_search import beam_search

INPUT_DIM = 6
LENGTHS = [5, 2, 4]


def make_vocab(scheme="BIEO"):
    return Vocabulary(list("abc"), ["LOC", "PER"], scheme)


def make_mask(lengths):
    return torch.arange(max(lengths)).unsqueeze(0) < torch.tensor(lengths).unsqueeze(1)


def make_decoder(vocab=None, seed=0, **options):
    torch.manual_seed(seed)
    options = {"hidden_dim": 8, "label_embedding_dim": 4, **options}
    decoder = AttentionLstmDecoder(vocab or make_vocab(), INPUT_DIM, **options)
    return decoder.eval()


def encoder_states(lengths=LENGTHS, seed=1):
    generator = torch.Generator().manual_seed(seed)
    encoded = torch.randn(len(lengths), max(lengths), INPUT_DIM, generator=generator)
    return encoded, make_mask(lengths)


def literal_step(decoder, encoded, mask, hidden, cell, previous, i):
    """One step of DESIGN §5: attention, context, LSTMCell, output layer."""
    weights = decoder.attention(hidden, encoded, mask)
    context = (weights.unsqueeze(2) * encoded).sum(1)
    aligned = [encoded[:, i]] if decoder.aligned_input else []
    inputs = torch.cat([decoder.label_embedding(previous), context, *aligned], dim=-1)
    hidden, cell = decoder.cell(inputs, (hidden, cell))
    return hidden, cell, decoder.output(torch.cat([hidden, context, *aligned], dim=-1))


def literal_logits(decoder, encoded, mask, tags):
    """DESIGN §5 step by step with torch's LSTMCell, the attention's forward and the Linear."""
    hidden, cell = decoder._initial_state(encoded, mask)
    previous = torch.full_like(tags[:, 0], decoder.start_label)
    steps = []
    for i in range(encoded.size(1)):
        hidden, cell, logits = literal_step(decoder, encoded, mask, hidden, cell, previous, i)
        steps.append(logits)
        previous = tags[:, i]
    return torch.stack(steps, dim=1)


def gold_tags(vocab):
    sequences = [
        ["B-PER", "I-PER", "E-PER", "O", "B-LOC"], ["O", "B-LOC"], ["B-LOC", "E-LOC", "O", "O"]
    ]
    tags = torch.zeros(len(sequences), max(map(len, sequences)), dtype=torch.long)
    for row, sequence in enumerate(sequences):
        tags[row, : len(sequence)] = torch.tensor([vocab.label_index(t) for t in sequence])
    return tags


@pytest.mark.parametrize("aligned_input", [True, False])
@pytest.mark.parametrize("attention", ["bilinear", "additive"])
@pytest.mark.parametrize("initial_state", ["encoder", "zeros"])
def test_logits_follow_the_papers_formula(aligned_input, attention, initial_state):
    decoder = make_decoder(
        aligned_input=aligned_input, attention=attention, initial_state=initial_state
    )
    encoded, mask = encoder_states()
    tags = gold_tags(decoder.vocab)
    expected = literal_logits(decoder, encoded, mask, tags)
    assert torch.allclose(decoder.teacher_forced_logits(encoded, mask, tags), expected, atol=1e-5)


def test_shapes_and_padding():
    decoder = make_decoder()
    encoded, mask = encoder_states()
    loss = decoder.loss(encoded, mask, gold_tags(decoder.vocab))
    assert loss.dim() == 0 and loss.item() > 0
    for beam_size in (1, 3):
        tags, scores = decoder.search(encoded, mask, beam_size=beam_size)
        assert tags.shape == mask.shape and tags.dtype == torch.long
        assert scores.shape == (len(LENGTHS),)
        assert tags[~mask].eq(0).all()


def test_loss_is_summed_token_cross_entropy_per_sentence():
    decoder = make_decoder()
    encoded, mask = encoder_states()
    tags = gold_tags(decoder.vocab)
    log_probs = decoder.sequence_log_probs(encoded, mask, tags)
    assert torch.allclose(decoder.loss(encoded, mask, tags), -log_probs.sum() / len(LENGTHS))


@pytest.mark.parametrize("aligned_input", [True, False])
def test_overfits_three_sentences_and_greedy_reproduces_gold(aligned_input):
    decoder = make_decoder(aligned_input=aligned_input, seed=3).train()
    encoded, mask = encoder_states()
    tags = gold_tags(decoder.vocab)
    optimizer = torch.optim.Adam(decoder.parameters(), lr=0.05)
    losses = []
    for _ in range(50):
        optimizer.zero_grad()
        loss = decoder.loss(encoded, mask, tags)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    assert losses[-1] < 0.1 * losses[0]
    decoder.eval()
    assert torch.equal(decoder.decode(encoded, mask), tags)
    assert torch.equal(decoder.search(encoded, mask, beam_size=3)[0], tags)


@pytest.mark.parametrize("seed", range(3))
def test_beam_of_one_equals_greedy_exactly(seed):
    decoder = make_decoder(seed=seed)
    encoded, mask = encoder_states(seed=seed)
    greedy = decoder.search(encoded, mask, beam_size=1)
    state = decoder._start(encoded, mask, beam=1)
    beam = beam_search(
        lambda previous, i: decoder._step(state, previous, i), state.reorder, mask,
        decoder.start_label, decoder.num_labels, 1, decoder.constraints,
    )
    assert torch.equal(greedy[0], beam[0])
    assert torch.allclose(greedy[1], beam[1], atol=1e-5)


def test_validation_searches_with_its_own_beam_while_the_trainer_validates():
    from nerkit.models.model import validating

    lengths = [7, 3, 6, 1, 5]
    decoder = make_decoder(seed=2, beam_size=4, validation_beam_size=1)
    encoded, mask = encoder_states(lengths, seed=2)
    holder = torch.nn.Sequential(decoder)  # the flag reaches decoders inside a model
    with torch.no_grad():
        greedy = decoder.search(encoded, mask, beam_size=1)[0]
        beam = decoder.search(encoded, mask, beam_size=4)[0]
        assert not torch.equal(greedy, beam)  # these seeds tell the two searches apart
        assert torch.equal(decoder.decode(encoded, mask), beam)
        with validating(holder):
            assert torch.equal(decoder.decode(encoded, mask), greedy)
        assert torch.equal(decoder.decode(encoded, mask), beam)


@pytest.mark.parametrize("constrained", [True, False])
def test_beam_scores_are_the_models_log_probs_and_beat_greedy(constrained):
    lengths = [7, 3, 6, 1, 5]
    for seed in range(4):
        decoder = make_decoder(seed=seed, constrain=constrained)
        encoded, mask = encoder_states(lengths, seed=seed)
        with torch.no_grad():
            greedy_tags, greedy_scores = decoder.search(encoded, mask, beam_size=1)
            beam_tags, beam_scores = decoder.search(encoded, mask, beam_size=4)
            for tags, scores in ((greedy_tags, greedy_scores), (beam_tags, beam_scores)):
                rescored = decoder.sequence_log_probs(encoded, mask, tags)
                assert torch.allclose(scores, rescored, atol=1e-5)
        # Not a theorem (a beam can prune greedy's prefix), but true on these fixed seeds.
        assert (beam_scores >= greedy_scores - 1e-5).all()


@settings(max_examples=25, deadline=None)
@given(
    scheme=st.sampled_from(SCHEMES),
    seed=st.integers(0, 10_000),
    lengths=st.lists(st.integers(1, 7), min_size=1, max_size=4),
    beam_size=st.sampled_from([1, 2, 4]),
    scale=st.sampled_from([1.0, 5.0]),
)
def test_constrained_decoding_never_emits_an_invalid_sequence(
    scheme, seed, lengths, beam_size, scale
):
    vocab = make_vocab(scheme)
    decoder = make_decoder(vocab, seed=seed)
    with torch.no_grad():
        decoder.output.weight.mul_(scale)  # sharper, more arbitrary label choices
        decoder.output.bias.normal_(0.0, scale)
    encoded, mask = encoder_states(lengths, seed=seed)
    with torch.no_grad():
        tags = decoder.search(encoded, mask, beam_size=beam_size)[0]
    for row, length in enumerate(lengths):
        validate_tags([vocab.labels[i] for i in tags[row, :length].tolist()], scheme)


@pytest.mark.parametrize("beam_size", [1, 3])
def test_padding_does_not_change_real_positions(beam_size):
    decoder = make_decoder(seed=2)
    encoded, mask = encoder_states()
    with torch.no_grad():
        tags, scores = decoder.search(encoded, mask, beam_size=beam_size)
        for row, length in enumerate(LENGTHS):
            alone = encoded[row : row + 1, :length]
            single_tags, single_scores = decoder.search(
                alone, mask[row : row + 1, :length], beam_size=beam_size
            )
            assert torch.equal(single_tags[0], tags[row, :length])
            assert torch.allclose(single_scores[0], scores[row], atol=1e-5)


def test_scheduled_sampling_feeds_own_predictions_in_training_only():
    decoder = make_decoder(scheduled_sampling=1.0).train()
    encoded, mask = encoder_states()
    tags = gold_tags(decoder.vocab)
    other = torch.zeros_like(tags)
    sampled = decoder.teacher_forced_logits(encoded, mask, tags)
    assert torch.allclose(sampled, decoder.teacher_forced_logits(encoded, mask, other))
    decoder.loss(encoded, mask, tags).backward()
    assert decoder.label_embedding.weight.grad is not None
    decoder.eval()
    assert not torch.allclose(
        decoder.teacher_forced_logits(encoded, mask, tags),
        decoder.teacher_forced_logits(encoded, mask, other),
    )


def test_built_from_config_with_attention_and_flowing_dims():
    vocab = make_vocab()
    decoder = Decoder.from_config(
        {"type": "attention_lstm", "hidden_dim": 8, "attention": {"type": "additive"}},
        vocab=vocab, input_dim=INPUT_DIM,
    )
    assert isinstance(decoder.attention, AdditiveAttention)
    assert (decoder.attention.query_dim, decoder.attention.key_dim) == (8, INPUT_DIM)
    default = Decoder.from_config({"type": "attention_lstm"}, vocab=vocab, input_dim=INPUT_DIM)
    assert isinstance(default.attention, BilinearAttention)
    assert default.hidden_dim == 128 and default.beam_size == 1
    assert "constraints" not in {n.split(".")[0] for n in default.state_dict()}


@pytest.mark.parametrize("name", Attention.list_available())
def test_every_attention_prepares_keys_once_for_all_beams(name):
    torch.manual_seed(0)
    attention = Attention.by_name(name)(query_dim=INPUT_DIM, key_dim=INPUT_DIM)
    keys = torch.randn(3, 5, INPUT_DIM)
    queries = torch.randn(3, 4, INPUT_DIM)
    prepared = attention.prepare_keys(keys)
    beams = attention.prepared_scores(queries, prepared)
    assert beams.shape == (3, 4, 5)
    for beam in range(4):
        expected = attention.scores(queries[:, beam], keys)
        assert torch.allclose(beams[:, beam], expected, atol=1e-5)
        single = attention.prepared_scores(queries[:, beam], prepared)
        assert torch.allclose(single, expected, atol=1e-5)
    decoder = make_decoder(hidden_dim=INPUT_DIM, attention=name)
    encoded, mask = encoder_states()
    assert decoder.search(encoded, mask, beam_size=2)[0].shape == mask.shape


@pytest.mark.parametrize(
    "options, match",
    [
        ({"initial_state": "mean"}, "initial_state"),
        ({"beam_size": 0}, "beam_size"),
        ({"validation_beam_size": 0}, "validation_beam_size"),
        ({"scheduled_sampling": 1.5}, "scheduled_sampling"),
        ({"attention": {"type": "dot_product"}}, "query_dim == key_dim"),
    ],
)
def test_bad_options_fail_with_a_configuration_error(options, match):
    with pytest.raises(ConfigurationError, match=match):
        Decoder.from_config(
            {"type": "attention_lstm", **options}, vocab=make_vocab(), input_dim=INPUT_DIM
        )


def test_the_old_key_constrained_still_works_with_a_warning():
    from nerkit.common.build import build_and_fill
    from nerkit.common.errors import DeprecatedConfigKey

    vocab = make_vocab()
    block = {"type": "attention_lstm", "hidden_dim": 8, "constrained": False}
    with pytest.warns(DeprecatedConfigKey, match="'constrained' is deprecated; write 'constrain'"):
        decoder, filled = build_and_fill(block, Decoder, context={"vocab": vocab, "input_dim": 4})
    assert decoder.constraints is None and filled["constrain"] is False
    assert "constrained" not in filled
    with pytest.raises(ConfigurationError, match="old name of 'constrain'"):
        build_and_fill({**block, "constrain": True}, Decoder,
                       context={"vocab": vocab, "input_dim": 4})


def gradients(decoder, encoded, logits_function):
    """Gradients of a fixed random linear function of the logits for every input."""
    encoded = encoded.clone().requires_grad_()
    decoder.zero_grad()
    logits = logits_function(encoded)
    weights = torch.randn(logits.shape, generator=torch.Generator().manual_seed(7))
    (logits * weights).sum().backward()
    named = {name: p.grad.clone() for name, p in decoder.named_parameters() if p.grad is not None}
    return logits.detach(), {"encoded": encoded.grad, **named}


@pytest.mark.parametrize("aligned_input", [True, False])
@pytest.mark.parametrize("attention", ["bilinear", "dot_product", "scaled_dot_product"])
@pytest.mark.parametrize("initial_state", ["encoder", "zeros"])
def test_batched_teacher_forcing_equals_the_step_by_step_loop(
    aligned_input, attention, initial_state
):
    """The fused recurrence and its hand-written backward match autograd through each step."""
    decoder = make_decoder(aligned_input=aligned_input, attention=attention, hidden_dim=INPUT_DIM,
                           initial_state=initial_state)
    encoded, mask = encoder_states([5, 2, 4, 1])
    tags = torch.randint(decoder.num_labels, mask.shape, generator=torch.Generator().manual_seed(3))
    fast, fast_grads = gradients(
        decoder, encoded, lambda e: decoder.teacher_forced_logits(e, mask, tags)
    )
    reference, reference_grads = gradients(
        decoder, encoded, lambda e: decoder._stepwise_logits(e, mask, tags, 0.0)
    )
    literal = literal_logits(decoder, encoded, mask, tags)
    assert torch.allclose(fast, reference, atol=1e-5)
    assert torch.allclose(fast, literal, atol=1e-5)
    assert fast_grads.keys() == reference_grads.keys()
    for name, grad in reference_grads.items():
        assert torch.allclose(fast_grads[name], grad, atol=1e-5), name


def test_batched_teacher_forcing_draws_the_same_dropout_as_the_loop():
    decoder = make_decoder(dropout=0.5).train()
    encoded, mask = encoder_states()
    tags = gold_tags(decoder.vocab)
    torch.manual_seed(11)
    fast = decoder.teacher_forced_logits(encoded, mask, tags)
    torch.manual_seed(11)
    reference = decoder._stepwise_logits(encoded, mask, tags, 0.0)
    assert torch.allclose(fast, reference, atol=1e-5)


def test_recurrence_backward_passes_gradcheck():
    from nerkit.modules.decoders.attention_recurrence import teacher_forced_recurrence

    generator = torch.Generator().manual_seed(0)
    steps, batch, size, dim = 4, 2, 3, 5

    def tensor(*shape):
        return torch.randn(*shape, generator=generator, dtype=torch.float64).requires_grad_()

    score_bias = torch.zeros(batch, 1, steps, dtype=torch.float64)
    score_bias[1, 0, 3] = torch.finfo(torch.float64).min  # the second sentence has 3 positions
    arguments = (tensor(steps, batch, 4 * size), tensor(batch, steps, dim),
                 tensor(batch, steps, size), score_bias, tensor(4 * size, dim + size),
                 tensor(batch, size), tensor(batch, size))
    assert torch.autograd.gradcheck(teacher_forced_recurrence, arguments)


def literal_greedy(decoder, encoded, mask):
    """Greedy search through the literal formula (torch's LSTMCell, attention and Linear)."""
    hidden, cell = decoder._initial_state(encoded, mask)
    previous = torch.full((encoded.size(0),), decoder.start_label)
    lengths = mask.sum(1)
    tags, scores = [], torch.zeros(encoded.size(0))
    for i in range(encoded.size(1)):
        hidden, cell, logits = literal_step(decoder, encoded, mask, hidden, cell, previous, i)
        last = (lengths - 1 == i).unsqueeze(1)
        allowed = logits + decoder.constraints.transition[previous]
        allowed = allowed + torch.where(last, decoder.constraints.end, 0.0)
        previous = allowed.argmax(-1)
        tags.append(previous)
        chosen = torch.log_softmax(logits, -1).gather(1, previous.unsqueeze(1)).squeeze(1)
        scores = scores + chosen * mask[:, i]
    return torch.stack(tags, 1) * mask, scores


@pytest.mark.parametrize("aligned_input", [True, False])
@pytest.mark.parametrize("attention", ["bilinear", "additive"])
def test_greedy_search_equals_the_literal_formula(aligned_input, attention):
    for seed in range(3):
        decoder = make_decoder(seed=seed, aligned_input=aligned_input, attention=attention)
        with torch.no_grad():
            decoder.output.weight.mul_(4.0)  # decisive label choices
        encoded, mask = encoder_states([6, 3, 5, 1], seed=seed)
        with torch.no_grad():
            tags, scores = decoder.search(encoded, mask, beam_size=1)
            expected_tags, expected_scores = literal_greedy(decoder, encoded, mask)
        assert torch.equal(tags, expected_tags)
        assert torch.allclose(scores, expected_scores, atol=1e-5)


def test_parameter_names_stay_those_of_existing_archives():
    assert set(make_decoder().state_dict()) == {
        "attention.weight", "label_embedding.weight", "cell.weight_ih", "cell.weight_hh",
        "cell.bias_ih", "cell.bias_hh", "output.weight", "output.bias",
        "initial_projection.weight", "initial_projection.bias",
    }
