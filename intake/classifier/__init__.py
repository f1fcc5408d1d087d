"""Topic tagging of citizen messages: taxonomy, jieba tokens, the day-one and the learned model."""
