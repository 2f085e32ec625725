// Trainer defaults shared by the shipped configs.
{
  // A trainer block: Adam, gradient clipping, patience on dev span F1. max_minutes: a time
  // budget (training + validation, summed over resumed sessions); null = epochs decide.
  // decay: lr / (1 + decay * epochs) (the classic BiLSTM-CRF schedule); null = constant.
  trainer(lr=0.001, num_epochs=20, patience=5, parameter_groups=null, grad_norm=5.0,
          max_minutes=null, decay=null):: {
    num_epochs: num_epochs,
    patience: patience,
    validation_metric: '+f1',
    grad_norm: grad_norm,
    [if max_minutes != null then 'max_minutes']: max_minutes,
    [if max_minutes != null then 'checkpoint_every_minutes']: 10,
    optimizer: {
      type: 'adam',
      lr: lr,
      [if parameter_groups != null then 'parameter_groups']: parameter_groups,
    },
    [if decay != null then 'lr_scheduler']: { type: 'inverse_decay', decay: decay },
  },

  // Parameter groups giving a transformer body its own learning rate.
  transformer_groups(bert_lr):: [[['^embedder\\.'], { lr: bert_lr }]],
}
