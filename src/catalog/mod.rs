//! Catalogues as data tables: ITK 2 services, interactions and profiles (`itk2`).

pub mod itk2;
