"""Digital signatures of commune documents: keys and certificates (`certificates`), who
signs (`signers`), PAdES signing (`pades`) and verification (`verification`)."""
