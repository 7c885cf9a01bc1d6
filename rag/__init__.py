"""PolicyQA: question answering over Chinese industrial policy plans, answered only with cited quotes.

The pipeline, one package per stage, in the order the data flows:

    raw document --ingest/--> Clause, PlanMeta --indexing/--> SearchIndex (a folder of plain files)
      --search/--> Hit --answer/--> Citation, Answer --cli.py, api.py, ui/--> people and programs
    company profile --match/--> Measure, MatchResult;  gold questions --evaluation/--> reports

Shared by all stages: `types` (the contract's data types), `errors`, `settings`, `limits`, `files`,
`itempath`, `regions` (the gazetteer), `render` (text for people) and `text/` (normalisation, sentences,
lexicon, fact shapes).
"""

__version__ = "0.1.0"
