"""An optional accelerator for tree ensembles: the fitted pipeline's trees compiled with Treelite
(`trees`) and, where a C compiler exists, built into machine code with TL2cgen (`machine_code`).

The scikit-learn pipeline serves any estimator a team brings; these engines only make a
HistGradientBoosting pipeline answer faster, with the same probabilities. To drop them, delete
this folder and the `compiled` extra in pyproject.toml: the bundle then holds the pipeline alone
and the service serves it (`serve.bundle` imports this package only if it is there).
"""
