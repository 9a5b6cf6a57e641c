//! Joint return models (work in progress).
