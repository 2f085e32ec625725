// A BERT character embedder block and its optimizer groups.
local training = import 'trainer.libsonnet';
{
  // bert: a Hugging Face model name (needs internet once) or a local directory.
  embedder(bert, fine_tune=true):: {
    type: 'pretrained_transformer',
    model_name: bert,
    trainable: fine_tune,
    sub_token_mode: 'first',
  },
  // The paper's lr 0.001 for everything outside BERT; BERT itself gets bert_lr when fine-tuned.
  // max_minutes, decay: as in trainer.libsonnet.
  trainer(num_epochs, patience, fine_tune, bert_lr, lr=0.001, max_minutes=null, decay=null)::
    training.trainer(lr=lr, num_epochs=num_epochs, patience=patience, max_minutes=max_minutes,
                     decay=decay,
                     parameter_groups=if fine_tune then training.transformer_groups(bert_lr)
                     else null),
}
