"""Text shared by every stage: normalisation (documents and queries alike), sentences, the jieba lexicon,
and the shapes of document facts (文号, dates, bodies)."""
