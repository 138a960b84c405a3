/**
 * Tables read from CSV and ARFF files: the readers, the column types inferred from the cells
 * (numeric, categorical, boolean), the target column and its encoding (class indices or
 * standardized values), and the {@link dev.descent.data.table.Preprocessor} that turns a table into
 * network inputs with statistics fitted on the training rows only and stored in the checkpoint.
 */
package dev.descent.data.table;
