-- Programmes and vaccines from ../shared/docs/dps-file-format.md ("Reference data").

INSERT INTO programmes (type, name, snomed_procedure_code, snomed_procedure_term) VALUES
 ('flu',     'Flu',     '822851000000102', 'Seasonal influenza vaccination (procedure)'),
 ('hpv',     'HPV',     '761841000',       'Administration of vaccine product containing only Human papillomavirus antigen (procedure)'),
 ('menacwy', 'MenACWY', '871874000',       'Administration of vaccine product containing only Neisseria meningitidis serogroup A, C, W135 and Y antigens (procedure)'),
 ('td_ipv',  'Td/IPV',  '866186002',       'Administration of vaccine product containing only Clostridium tetani and Corynebacterium diphtheriae and Human poliovirus antigens (procedure)');

INSERT INTO vaccines (programme_id, key, brand, manufacturer, method, dose_volume_ml, snomed_product_code, snomed_product_term, discontinued)
SELECT p.id, v.key, v.brand, v.manufacturer, v.method, v.ml, v.code, v.term, v.discontinued
FROM (VALUES
 ('flu', 'adjuvanted_quadrivalent', 'Adjuvanted Quadrivalent Influenza Vaccine (aQIV)', 'Seqirus', 'injection', 0.5, '40085311000001103', 'Adjuvanted quadrivalent influenza vaccine (surface antigen, inactivated) suspension for injection 0.5ml pre-filled syringes (Seqirus UK Ltd) (product)', FALSE),
 ('flu', 'cell_quadrivalent', 'Cell-based Quadrivalent Influenza Vaccine', 'Seqirus', 'injection', 0.5, '40085011000001101', 'Cell-based quadrivalent influenza vaccine (surface antigen, inactivated) suspension for injection 0.5ml pre-filled syringes (Seqirus UK Ltd) (product)', FALSE),
 ('flu', 'fluenz_tetra', 'Fluenz Tetra - LAIV', 'AstraZeneca', 'nasal', 0.2, '27114211000001105', 'Fluenz Tetra vaccine nasal suspension 0.2ml unit dose (AstraZeneca UK Ltd) (product)', FALSE),
 ('flu', 'quadrivalent_influenza', 'Quadrivalent Influenza Vaccine - QIVe', 'Sanofi', 'injection', 0.5, '34680411000001107', 'Quadrivalent influenza vaccine (split virion, inactivated) suspension for injection 0.5ml pre-filled syringes (Sanofi) (product)', FALSE),
 ('flu', 'quadrivalent_influvac_tetra', 'Quadrivalent Influvac sub-unit Tetra - QIVe', 'Mylan', 'injection', 0.5, '35727111000001109', 'Influvac sub-unit Tetra vaccine suspension for injection 0.5ml pre-filled syringes (Viatris UK Healthcare Ltd) (product)', FALSE),
 ('flu', 'supemtek', 'Supemtek - QIVr', 'Sanofi', 'injection', 0.5, '39566211000001103', 'Supemtek Quadrivalent vaccine (recombinant) solution for injection 0.5ml pre-filled syringes (Sanofi) (product)', FALSE),
 ('hpv', 'gardasil_9', 'Gardasil 9', 'Merck Sharp & Dohme', 'injection', 0.5, '33493111000001108', 'Gardasil 9 vaccine suspension for injection 0.5ml pre-filled syringes (Merck Sharp & Dohme (UK) Ltd) (product)', FALSE),
 ('menacwy', 'menquadfi', 'MenQuadfi', 'Sanofi', 'injection', 0.5, '39779611000001104', 'MenQuadfi vaccine solution for injection 0.5ml vials (Sanofi) (product)', FALSE),
 ('menacwy', 'menveo', 'Menveo', 'GlaxoSmithKline', 'injection', 0.5, '17188711000001105', 'Menveo vaccine powder and solvent for solution for injection 0.5ml vials (Novartis Vaccines and Diagnostics Ltd) (product)', FALSE),
 ('menacwy', 'nimenrix', 'Nimenrix', 'Pfizer', 'injection', 0.5, '20517811000001104', 'Nimenrix vaccine powder and solvent for solution for injection 0.5ml pre-filled syringes (GlaxoSmithKline UK Ltd) (product)', FALSE),
 ('td_ipv', 'revaxis', 'Revaxis', 'Sanofi', 'injection', 0.5, '7374511000001107', 'Revaxis vaccine suspension for injection 0.5ml pre-filled syringes (Sanofi) 1 pre-filled disposable injection (product)', FALSE),
 -- Discontinued, still valid on old records. Terms follow the dm+d product names.
 ('hpv', 'cervarix', 'Cervarix', 'GlaxoSmithKline', 'injection', 0.5, '12238911000001100', 'Cervarix vaccine suspension for injection 0.5ml pre-filled syringes (GlaxoSmithKline UK Ltd) (product)', TRUE),
 ('flu', 'fluad_tetra', 'Fluad Tetra - aQIV', 'Seqirus', 'injection', 0.5, '38973211000001108', 'Fluad Tetra vaccine suspension for injection 0.5ml pre-filled syringes (Seqirus UK Ltd) (product)', TRUE),
 ('flu', 'flucelvax_tetra', 'Flucelvax Tetra - QIVc', 'Seqirus', 'injection', 0.5, '36509011000001106', 'Flucelvax Tetra vaccine suspension for injection 0.5ml pre-filled syringes (Seqirus UK Ltd) (product)', TRUE),
 ('hpv', 'gardasil', 'Gardasil', 'Merck Sharp & Dohme', 'injection', 0.5, '10880211000001104', 'Gardasil vaccine suspension for injection 0.5ml pre-filled syringes (Merck Sharp & Dohme (UK) Ltd) (product)', TRUE)
) AS v (programme, key, brand, manufacturer, method, ml, code, term, discontinued)
JOIN programmes p ON p.type = v.programme;
