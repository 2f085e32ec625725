"""The attention LSTM's recurrence under teacher forcing, with a hand-written backward pass.

When every step's previous label is known in advance (teacher forcing), the only sequential
work is the decoder state: at step i, ``s_{i-1}`` scores the keys, the softmax weights mix the
projected encoder states into the gates, and the LSTM update gives ``s_i``. Autograd would
record some twenty tiny operations per step and, in the backward pass, form one
(batch, seq_len, gates) gradient per step for the shared values and keys. Here the forward pass
runs without a graph, and the backward pass walks the steps in reverse doing only the work that
must be sequential; the gradients of the values, keys and recurrent weights are then single
batched products over all steps.
"""

from __future__ import annotations

from typing import Any

import torch


class TeacherForcedRecurrence(torch.autograd.Function):
    """Decoder states and attention weights of every step; see ``teacher_forced_recurrence``."""

    @staticmethod
    def forward(  # type: ignore[override]
        ctx: Any, inputs: torch.Tensor, values: torch.Tensor, keys: torch.Tensor,
        score_bias: torch.Tensor, weight_hh: torch.Tensor, hidden: torch.Tensor,
        cell: torch.Tensor,
    ) -> tuple[torch.Tensor, torch.Tensor]:
        steps, batch, gates_size = inputs.shape
        size = gates_size // 4
        hiddens = inputs.new_empty(steps, batch, size)
        cells = inputs.new_empty(steps, batch, size)
        cell_tanhs = inputs.new_empty(steps, batch, size)
        activations = inputs.new_empty(steps, batch, gates_size)
        attention = inputs.new_empty(steps, batch, keys.size(1))
        keys_t, weight_t = keys.transpose(1, 2), weight_hh.t()
        state, memory = hidden, cell
        for step in range(steps):
            scores = torch.baddbmm(score_bias, state.unsqueeze(1), keys_t).squeeze(1)
            weights = torch.softmax(scores, dim=-1, out=attention[step])
            gates = torch.baddbmm(inputs[step].unsqueeze(1), weights.unsqueeze(1), values)
            gates = gates.squeeze(1).addmm_(state, weight_t)
            active = torch.sigmoid(gates, out=activations[step])
            input_gate, forget_gate, candidate, output_gate = active.chunk(4, dim=1)
            torch.tanh(gates[:, 2 * size : 3 * size], out=candidate)
            memory = torch.addcmul(forget_gate * memory, input_gate, candidate, out=cells[step])
            state = torch.mul(output_gate, torch.tanh(memory, out=cell_tanhs[step]),
                              out=hiddens[step])
        ctx.save_for_backward(values, keys, weight_hh, hidden, cell, hiddens, cells, cell_tanhs,
                              activations, attention)
        return hiddens, attention

    @staticmethod
    def backward(  # type: ignore[override]
        ctx: Any, grad_hiddens: torch.Tensor | None, grad_attention: torch.Tensor | None
    ) -> tuple[torch.Tensor | None, ...]:
        (values, keys, weight_hh, hidden, cell, hiddens, cells, cell_tanhs, activations,
         attention) = ctx.saved_tensors
        steps, batch, size = hiddens.shape
        grad_gates = activations.new_empty(activations.shape)
        grad_scores = attention.new_empty(attention.shape)
        values_t = values.transpose(1, 2)
        grad_state = hidden.new_zeros(batch, size)
        grad_memory = hidden.new_zeros(batch, size)
        for step in reversed(range(steps)):
            if grad_hiddens is not None:
                grad_state = grad_state + grad_hiddens[step]
            active, cell_tanh = activations[step], cell_tanhs[step]
            input_gate, forget_gate, candidate, output_gate = active.chunk(4, dim=1)
            previous_memory = cells[step - 1] if step > 0 else cell
            # dL/dc_i: through h_i = o * tanh(c_i), plus what flowed back from c_{i+1}
            grad_memory = grad_memory + grad_state * output_gate * (1.0 - cell_tanh * cell_tanh)
            upstream = grad_gates[step]  # filled with dL/d(activation), then the derivative
            gate_input, gate_forget, gate_candidate, gate_output = upstream.chunk(4, dim=1)
            torch.mul(grad_memory, candidate, out=gate_input)
            torch.mul(grad_memory, previous_memory, out=gate_forget)
            torch.mul(grad_memory, input_gate, out=gate_candidate)
            torch.mul(grad_state, cell_tanh, out=gate_output)
            derivative = active - active * active  # sigmoid'; the candidate's slot is tanh'
            derivative[:, 2 * size : 3 * size] = 1.0 - candidate * candidate
            upstream.mul_(derivative)
            grad_memory = grad_memory * forget_gate
            grad_weights = torch.bmm(upstream.unsqueeze(1), values_t).squeeze(1)
            if grad_attention is not None:
                grad_weights = grad_weights + grad_attention[step]
            weights = attention[step]
            centred = grad_weights - (grad_weights * weights).sum(1, keepdim=True)
            scores_grad = torch.mul(weights, centred, out=grad_scores[step])
            grad_state = torch.mm(upstream, weight_hh)
            grad_state = grad_state.unsqueeze(1).baddbmm_(scores_grad.unsqueeze(1), keys)
            grad_state = grad_state.squeeze(1)
        needs = ctx.needs_input_grad
        states_before = torch.cat([hidden.unsqueeze(0), hiddens[:-1]])  # s_{i-1} per step
        grad_values = grad_keys = grad_weight_hh = None
        if needs[1]:
            grad_values = torch.bmm(attention.permute(1, 2, 0), grad_gates.transpose(0, 1))
        if needs[2]:
            grad_keys = torch.bmm(grad_scores.permute(1, 2, 0), states_before.transpose(0, 1))
        if needs[4]:
            grad_weight_hh = grad_gates.flatten(0, 1).t() @ states_before.flatten(0, 1)
        return (grad_gates if needs[0] else None, grad_values, grad_keys, None, grad_weight_hh,
                grad_state if needs[5] else None, grad_memory if needs[6] else None)


def teacher_forced_recurrence(
    inputs: torch.Tensor, values: torch.Tensor, keys: torch.Tensor, score_bias: torch.Tensor,
    weight_hh: torch.Tensor, hidden: torch.Tensor, cell: torch.Tensor,
) -> tuple[torch.Tensor, torch.Tensor]:
    """Run every step; states ``s_1..s_n`` (steps, batch, H), attention (steps, batch, seq_len).

    Step i scores ``s_{i-1} . keys_t + score_bias_t`` (the bias is 0, or very negative at
    padding), mixes ``values`` (batch, seq_len, 4H) with the softmax weights, adds
    ``inputs[i]`` (steps, batch, 4H: every other gate input, biases included) and
    ``s_{i-1} W_hh^T``, and applies the LSTM update in PyTorch's (input, forget, cell,
    output) gate order from ``hidden`` and ``cell`` (batch, H). Time-major outputs let a dropout
    on them draw the same random numbers as one dropout per step.
    """
    return TeacherForcedRecurrence.apply(
        inputs, values, keys, score_bias, weight_hh, hidden, cell
    )
