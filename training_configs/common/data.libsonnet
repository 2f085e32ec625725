// Datasets by name: reader and file paths. Every path can be overridden with a top-level
// argument (--arg train_path=...) so a config runs on any copy of the data.
local readers = {
  msra: { type: 'conll', tag_scheme: 'BIO' },
  pd1998: { type: 'pfr1998' },
};
local files = {
  msra: { train: 'msra/train.bio', validation: 'msra/dev.bio', test: 'msra/test.bio' },
  pd1998: { train: 'pd1998/199801-train.txt', validation: 'pd1998/199801-dev.txt', test: 'pd1998/199801-test.txt' },
};

{
  // dataset: 'msra' or 'pd1998'; data_dir: folder holding msra/ and pd1998/.
  dataset(name, data_dir='../shared/data', train_path=null, validation_path=null, test_path=null)::
    assert std.objectHas(readers, name) : "dataset must be one of %s, got '%s'" % [std.objectFields(readers), name];
    local pick(given, split) = if given != null then given else data_dir + '/' + files[name][split];
    {
      dataset_reader: readers[name],
      train_data_path: pick(train_path, 'train'),
      validation_data_path: pick(validation_path, 'validation'),
      [if test_path != null then 'test_data_path']: test_path,
    },
}
