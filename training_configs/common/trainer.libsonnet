// Trainer defaults shared by the shipped configs.
{
  // A trainer block: Adam, gradient clipping, patience on dev span F1.
  trainer(lr=0.001, num_epochs=20, patience=5, parameter_groups=null, grad_norm=5.0):: {
    num_epochs: num_epochs,
    patience: patience,
    validation_metric: '+f1',
    grad_norm: grad_norm,
    optimizer: {
      type: 'adam',
      lr: lr,
      [if parameter_groups != null then 'parameter_groups']: parameter_groups,
    },
  },

  // Parameter groups giving a transformer body its own learning rate.
  transformer_groups(bert_lr):: [[['^embedder\\.'], { lr: bert_lr }]],
}
