"""What the provincial audit compares across packages, taken from one package at check time: passages, people, figures, pictures, identities, contacts."""
