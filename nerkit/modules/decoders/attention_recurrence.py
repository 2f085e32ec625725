"""The attention LSTM's recurrence under teacher forcing, with a hand-written backward pass.

When every step's previous label is known in advance (teacher forcing), the only sequential
work is the decoder state: at step i, ``s_{i-1}`` scores the keys, the softmax weights mix the
encoder states into the context ``c_i``, one product of ``[c_i ; s_{i-1}]`` gives the gates,
and the LSTM update gives ``s_i``. Autograd would record some twenty small operations per step
and, in the backward pass, form one (batch, seq_len, width) gradient per step for the shared
encoder states and keys. Here the forward pass runs without a graph, and the backward pass
walks the steps in reverse doing only the work that must be sequential; the gradients of the
encoder states, keys and weights are then one batched product each over all steps.
"""

from __future__ import annotations

from typing import Any

import torch


class TeacherForcedRecurrence(torch.autograd.Function):
    """Decoder states and contexts of every step; see ``teacher_forced_recurrence``."""

    @staticmethod
    def forward(
        ctx: Any, inputs: torch.Tensor, encoded: torch.Tensor, keys: torch.Tensor,
        score_bias: torch.Tensor, weight: torch.Tensor, hidden: torch.Tensor,
        cell: torch.Tensor,
    ) -> tuple[torch.Tensor, torch.Tensor]:
        steps, batch, gates_size = inputs.shape
        size, dim = gates_size // 4, encoded.size(2)
        # joint[i] = [c_i ; s_{i-1}], the input of step i's one matrix product
        joint = inputs.new_empty(steps + 1, batch, dim + size)
        joint[0, :, dim:] = hidden
        cells = inputs.new_empty(steps, batch, size)
        cell_tanhs = inputs.new_empty(steps, batch, size)
        activations = inputs.new_empty(steps, batch, gates_size)
        attention = inputs.new_empty(steps, batch, keys.size(1))
        keys_t, weight_t = keys.transpose(1, 2), weight.t()
        memory = cell
        for step in range(steps):
            state = joint[step, :, dim:]
            scores = torch.baddbmm(score_bias, state.unsqueeze(1), keys_t).squeeze(1)
            weights = torch.softmax(scores, dim=-1, out=attention[step])
            joint[step, :, :dim] = torch.bmm(weights.unsqueeze(1), encoded).squeeze(1)
            gates = torch.addmm(inputs[step], joint[step], weight_t)
            active = torch.sigmoid(gates, out=activations[step])
            input_gate, forget_gate, candidate, output_gate = active.chunk(4, dim=1)
            torch.tanh(gates[:, 2 * size : 3 * size], out=candidate)
            memory = torch.addcmul(forget_gate * memory, input_gate, candidate, out=cells[step])
            torch.mul(output_gate, torch.tanh(memory, out=cell_tanhs[step]),
                      out=joint[step + 1, :, dim:])
        ctx.save_for_backward(encoded, keys, weight, cell, joint, cells, cell_tanhs,
                              activations, attention)
        return joint[1:, :, dim:], joint[:-1, :, :dim]

    @staticmethod
    def backward(
        ctx: Any, grad_hiddens: torch.Tensor | None, grad_contexts: torch.Tensor | None
    ) -> tuple[torch.Tensor | None, ...]:
        encoded, keys, weight, cell, joint, cells, cell_tanhs, activations, attention = (
            ctx.saved_tensors
        )
        steps, batch, gates_size = activations.shape
        size, dim = gates_size // 4, encoded.size(2)
        grad_gates = activations.new_empty(activations.shape)
        grad_scores = attention.new_empty(attention.shape)
        grad_joint = joint.new_empty(steps, batch, dim + size)
        encoded_t = encoded.transpose(1, 2)
        # Every factor that does not depend on the incoming gradient, for all steps at once:
        # dL/d(gates) = [dc * g * i', dc * c_{i-1} * f', dc * i * g', dh * tanh(c) * o'].
        input_gates, forget_gates, candidates, output_gates = activations.chunk(4, dim=2)
        derivatives = activations - activations * activations  # sigmoid'; candidates: tanh'
        derivatives[..., 2 * size : 3 * size] = 1.0 - candidates * candidates
        previous_memories = torch.cat([cell.unsqueeze(0), cells[:-1]])
        memory_factors = torch.cat([candidates, previous_memories, input_gates], dim=2)
        memory_factors = memory_factors.mul_(derivatives[..., : 3 * size])
        memory_factors = memory_factors.view(steps, batch, 3, size)
        state_factors = cell_tanhs * derivatives[..., 3 * size :]
        memory_per_state = output_gates * (1.0 - cell_tanhs * cell_tanhs)  # dc_i / dh_i
        grad_state = cell.new_zeros(batch, size)
        grad_memory = cell.new_zeros(batch, size)
        for step in reversed(range(steps)):
            if grad_hiddens is not None:
                grad_state = grad_state + grad_hiddens[step]
            grad_memory = torch.addcmul(grad_memory, grad_state, memory_per_state[step])
            upstream = grad_gates[step]
            torch.mul(memory_factors[step], grad_memory.unsqueeze(1),
                      out=upstream[:, : 3 * size].view(batch, 3, size))
            torch.mul(state_factors[step], grad_state, out=upstream[:, 3 * size :])
            grad_memory = grad_memory * forget_gates[step]
            joint_grad = torch.mm(upstream, weight, out=grad_joint[step])
            grad_context = joint_grad[:, :dim]
            if grad_contexts is not None:
                grad_context.add_(grad_contexts[step])
            grad_weights = torch.bmm(grad_context.unsqueeze(1), encoded_t)  # (batch, 1, seq)
            weights = attention[step]
            expected = torch.bmm(grad_weights, weights.unsqueeze(2)).squeeze(2)  # softmax'
            torch.mul(weights, grad_weights.squeeze(1) - expected, out=grad_scores[step])
            grad_state = torch.baddbmm(
                joint_grad[:, dim:].unsqueeze(1), grad_scores[step].unsqueeze(1), keys
            ).squeeze(1)
        needs = ctx.needs_input_grad
        grad_encoded = grad_keys = grad_weight = None
        if needs[1]:  # c_i = sum_t a_{i,t} h_t
            grad_encoded = torch.bmm(attention.permute(1, 2, 0),
                                     grad_joint[:, :, :dim].transpose(0, 1))
        if needs[2]:
            states_before = joint[:-1, :, dim:].transpose(0, 1)
            grad_keys = torch.bmm(grad_scores.permute(1, 2, 0), states_before)
        if needs[4]:
            grad_weight = grad_gates.flatten(0, 1).t() @ joint[:-1].flatten(0, 1)
        return (grad_gates if needs[0] else None, grad_encoded, grad_keys, None, grad_weight,
                grad_state if needs[5] else None, grad_memory if needs[6] else None)


def teacher_forced_recurrence(
    inputs: torch.Tensor, encoded: torch.Tensor, keys: torch.Tensor, score_bias: torch.Tensor,
    weight: torch.Tensor, hidden: torch.Tensor, cell: torch.Tensor,
) -> tuple[torch.Tensor, torch.Tensor]:
    """Run every step: states ``s_1..s_n`` (steps, batch, H), contexts ``c_1..c_n`` (steps,
    batch, D).

    Step i scores ``s_{i-1} . keys_t + score_bias_t`` (the bias is 0, or very negative at
    padding), takes the context ``c_i`` as the softmax-weighted sum of ``encoded`` (batch,
    seq_len, D), and computes the gates as ``inputs[i] + [c_i ; s_{i-1}] weight^T`` in one
    product (``inputs`` (steps, batch, 4H) holds every other gate input, biases included;
    ``weight`` (4H, D + H) is ``[W_c W_hh]``); the LSTM update in PyTorch's (input, forget,
    cell, output) gate order starts from ``hidden`` and ``cell`` (batch, H). Time-major
    outputs let a dropout on them draw the same random numbers as one dropout per step.
    """
    return TeacherForcedRecurrence.apply(
        inputs, encoded, keys, score_bias, weight, hidden, cell
    )
