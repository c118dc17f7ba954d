"""Certificates: policy → levels, Open Badges 3.0 credentials (VC-JWT, RS256), PDF with a compact QR (CWT,
EdDSA), registry, trust store, verify.

Public API (import from the submodules; this package imports nothing heavy):

- ``kynangso.certify.policy.load_policy(path) -> Policy`` (raises ``PolicyError``)
- ``kynangso.certify.levels.compute_levels(gradebook_url, policy) -> dict[learner_id, dict[front, level]]``
  and ``assess(gradebook_url, policy) -> list[Assessment]`` (the reasons behind each level)
- ``kynangso.certify.keys.KeyStore(root)`` with ``init()``, ``rotate()``, ``jwks()``, ``signing_key()``
- ``kynangso.certify.issue.certify(gradebook_url, policy, store, out_dir) -> CertifyReport`` and ``revoke(...)``
- ``kynangso.certify.truststore.TrustStore(root)`` with ``accept(read_offer(path))``, ``entries()``, ``remove()``,
  ``import_status()``, ``load() -> Trust``; ``default_root(workspace)`` is ``<workspace>/.kynangso/trust``
- ``kynangso.certify.verify.verify_file(path, trust) -> Verdict`` and ``verify_jwt(text, trust)`` (a VC-JWT or the
  QR's compact token)
"""
