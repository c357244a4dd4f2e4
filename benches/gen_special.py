# Generates patterns/special.toml: lexicon-driven detectors for GDPR art. 9/10 categories.
import json
def q(s): return json.dumps(s, ensure_ascii=False)
def alt(terms):
    import re
    out=[]
    for t in sorted(set(terms), key=lambda x:(-len(x),x)):
        e=re.escape(t).replace("\\ ", "[ \\-]?") if False else re.escape(t).replace("\\ ", " ")
        out.append(e)
    return "(?i)(?:" + "|".join(out) + ")"
dets = []
def det(id, variant, name, terms, cues, examples, negatives, window=48, extra=None):
    d = dict(id=id, variant=variant, name=name, terms=terms, cues=cues, examples=examples, negatives=negatives, window=window)
    dets.append(d)

det("health","lexicon","Health data: conditions, diagnoses and medications said of a person (en/de/fr/es)",
 ["diabetes","type 2 diabetes","type 1 diabetes","cancer","breast cancer","leukemia","leukaemia","lymphoma","HIV","AIDS","asthma","epilepsy","depression","major depressive disorder","anxiety disorder","panic disorder","schizophrenia","bipolar disorder","hepatitis B","hepatitis C","tuberculosis","dementia","Alzheimer's disease","Alzheimer's","Parkinson's disease","Parkinson's","multiple sclerosis","COPD","hypertension","ADHD","autism","rheumatoid arthritis","stroke","heart attack","myocardial infarction","heart failure","kidney failure","chronic kidney disease","cystic fibrosis","anorexia","bulimia","alcohol dependence","alcoholism","opioid use disorder","PTSD","long COVID","COVID-19","insulin","metformin","methotrexate","sertraline","fluoxetine","lithium","antiretroviral therapy","chemotherapy","radiotherapy","methadone","dialysis",
  "Zuckerkrankheit","Krebs","Brustkrebs","Epilepsie","Depressionen","Angststörung","Schizophrenie","Demenz","Schlaganfall","Herzinfarkt","Bluthochdruck","Mukoviszidose","Chemotherapie",
  "diabète","dépression","épilepsie","asthme","VIH","sida","schizophrénie","démence","accident vasculaire cérébral","infarctus","hypertension artérielle","chimiothérapie",
  "cáncer","depresión","epilepsia","asma","VIH","sida","esquizofrenia","demencia","ictus","infarto","hipertensión","quimioterapia"],
 ["diagnosed","diagnosis","diagnosed with","suffers from","suffering from","treated for","treatment for","prescribed","patient","medical history","history of","sick leave","admitted","condition","symptoms","he has","she has","they have","lives with","living with",
  "diagnostiziert","Diagnose","leidet an","leidet unter","Patient","Patientin","behandelt wegen","erkrankt an","Krankschreibung","Vorerkrankung",
  "diagnostiqué","diagnostiquée","diagnostic","souffre de","atteint de","atteinte de","patient","patiente","traité pour","traitée pour","antécédents",
  "diagnosticado","diagnosticada","diagnóstico","padece","sufre de","paciente","tratado por","tratada por","antecedentes"],
 ["Patient was diagnosed with type 2 diabetes in 2019", "she suffers from epilepsy", "Herr Kaiser leidet an Depressionen", "diagnostiquée avec un cancer du sein", "el paciente padece asma", "prescribed metformin 500mg"],
 ["Diabetes research fund annual report", "cancer awareness month", "the stroke of midnight", "lithium battery pack", "Asthma UK charity shop"])

det("religion","lexicon","Religious or philosophical beliefs said of a person (en/de/fr/es)",
 ["Catholic","Roman Catholic","Protestant","Muslim","Jewish","Hindu","Buddhist","Sikh","Christian","evangelical","Orthodox Christian","Mormon","Jehovah's Witness","atheist","agnostic","Quaker","Baptist","Methodist","Anglican","Lutheran","Shia","Sunni",
  "katholisch","evangelisch","muslimisch","jüdisch","buddhistisch","konfessionslos","Atheist",
  "catholique","protestante","musulman","musulmane","juif","juive","bouddhiste","athée",
  "católico","católica","musulmán","musulmana","judío","judía","evangélico","budista","ateo","atea"],
 ["religion","religious","faith","belief","beliefs","denomination","practising","practicing","converted to","attends","prays","is a devout","devout",
  "Religion","Konfession","Glaube","Religionszugehörigkeit","gläubig",
  "religion","confession","croyant","croyante","pratiquant","pratiquante","converti",
  "religión","creencia","fe","practicante","creyente","convertido"],
 ["religion: Muslim", "he is a devout Catholic", "Konfession: evangelisch", "pratiquant musulman", "religión: católica"],
 ["Catholic University of Leuven library", "Christian Dior perfume", "Hindu Kush mountains", "Protestant Reformation history lecture"])

det("political_opinion","lexicon","Political opinions and party affiliation said of a person (en/de/fr/es)",
 ["Democrat","Democratic Party","Republican","Republican Party","Labour Party","Labour","Conservative Party","Tory","Liberal Democrats","Lib Dem","Green Party","SNP","Reform UK","UKIP","CDU","CSU","SPD","FDP","AfD","Die Linke","Bündnis 90/Die Grünen","Grünen","BSW","Rassemblement National","Front National","La France Insoumise","Les Républicains","Parti Socialiste","Renaissance","PSOE","Partido Popular","Vox","Podemos","Sumar","communist","socialist","anarchist","libertarian"],
 ["voted for","votes for","voter","supporter of","supports the","member of the","party member","donated to","campaigned for","political","political views","politics","affiliation",
  "wählt","Wähler","Wählerin","Mitglied der","Parteimitglied","Anhänger","politische",
  "vote pour","électeur","électrice","militant","militante","adhérent","sympathisant",
  "vota a","votante","afiliado a","afiliada a","militante de","simpatizante"],
 ["party member: SPD", "she voted for the Green Party", "Parteimitglied der CDU", "militant de La France Insoumise", "afiliado a Podemos"],
 ["the Democrat and Chronicle newspaper", "SPD Bundestag press release", "Renaissance art exhibition", "Vox media podcast"])

det("ethnicity","lexicon","Racial or ethnic origin said of a person (en/de/fr/es)",
 ["African American","Afro-Caribbean","Black British","Caucasian","Hispanic","Latino","Latina","Latinx","Asian American","British Asian","East Asian","South Asian","Pacific Islander","Native American","Aboriginal","Indigenous","First Nations","Inuit","Roma","Romani","Sinti","Traveller","Arab","Kurdish","Berber","Han Chinese","mixed race","biracial",
  "afroamerikanisch","Roma","Sinti","kurdischer Herkunft","türkischer Herkunft",
  "maghrébin","maghrébine","d'origine africaine","d'origine arabe",
  "afroamericano","afroamericana","gitano","gitana","indígena","mestizo","mestiza"],
 ["ethnicity","ethnic origin","ethnic group","race","racial","descent","identifies as",
  "Herkunft","ethnische","Abstammung","Volkszugehörigkeit",
  "origine ethnique","origine","ethnie",
  "etnia","origen étnico","raza","ascendencia"],
 ["ethnicity: Hispanic", "of Kurdish descent", "ethnic origin: Roma", "Herkunft: Sinti", "etnia: gitana"],
 ["Hispanic Heritage Month events", "Caucasian shepherd dog breeder", "Indigenous plants of the region", "Arab League summit"])

det("sexual_orientation","lexicon","Sexual orientation said of a person (en/de/fr/es)",
 ["gay","lesbian","bisexual","homosexual","heterosexual","asexual","pansexual","queer","LGBT","LGBTQ","LGBTQ+",
  "schwul","lesbisch","bisexuell","homosexuell",
  "homosexuelle","lesbienne","bisexuelle",
  "lesbiana","homosexual","bisexual"],
 ["sexual orientation","orientation","identifies as","came out","coming out","openly","is gay","same-sex partner","his husband","her wife","boyfriend","girlfriend",
  "sexuelle Orientierung","geoutet","Coming-out",
  "orientation sexuelle","fait son coming out","ouvertement",
  "orientación sexual","salió del armario","abiertamente"],
 ["sexual orientation: bisexual", "he came out as gay last year", "sexuelle Orientierung: lesbisch", "orientación sexual: homosexual"],
 ["the Gay-Lussac law of gases", "LGBT history month poster", "queer theory reading list", "Marvin Gaye album"])

det("trade_union","lexicon","Trade-union membership of a person (en/de/fr/es)",
 ["Unite the Union","UNISON","GMB","Teamsters","AFL-CIO","SEIU","UAW","NEA","AFSCME","RMT","NEU","ver.di","Verdi","IG Metall","IG BCE","GEW","Marburger Bund","CGT","CFDT","Force Ouvrière","FO","CFE-CGC","UNSA","SUD","CCOO","UGT","CGT-FO","trade union","labor union","labour union","union",
  "Gewerkschaft","syndicat","sindicato"],
 ["member of","membership","union member","union membership","union dues","shop steward","union rep","joined","card-carrying",
  "Mitglied","Gewerkschaftsmitglied","Mitgliedschaft","Betriebsrat",
  "adhérent","adhérente","syndiqué","syndiquée","cotisation","délégué syndical",
  "afiliado","afiliada","afiliación","delegado sindical"],
 ["union membership: UNISON", "she is a member of IG Metall", "Gewerkschaftsmitglied bei ver.di", "adhérent CFDT depuis 2015", "afiliado a CCOO"],
 ["the European Union budget", "Union Station parking", "credit union rates", "SUD Ouest newspaper"])

det("genetic","lexicon","Genetic data of a person: named genetic findings (en/de/fr/es); genotypes are the rsid variant",
 ["BRCA1","BRCA2","BRCA1 mutation","BRCA2 mutation","APOE4","APOE e4","Huntington's disease","Huntington","sickle cell trait","sickle cell","cystic fibrosis carrier","Factor V Leiden","HLA-B27","Lynch syndrome","trisomy 21","Down syndrome","carrier status","genetic test","DNA test","genome sequencing","23andMe","AncestryDNA","paternity test",
  "Gentest","Vaterschaftstest","test génétique","test de paternité","prueba genética","prueba de paternidad"],
 ["tested positive","carrier","carries","positive for","result","results","genotype","inherited","screening","diagnosed",
  "Träger","Trägerin","Ergebnis","positiv","porteur","porteuse","résultat","portador","portadora","resultado"],
 ["tested positive for BRCA1 mutation", "carrier of the sickle cell trait", "Ergebnis Gentest: positiv", "porteuse du gène BRCA2"],
 ["BRCA1 gene research overview", "Huntington Beach hotel deals", "genome sequencing market report"])

det("biometric","lexicon","Biometric data of a person: fingerprints, face, iris and voice templates (en/de/fr/es)",
 ["fingerprint","fingerprints","fingerprint template","face template","facial template","faceprint","face geometry","iris scan","iris template","retina scan","voiceprint","voice print","palm print","palm vein","gait signature",
  "Fingerabdruck","Fingerabdrücke","Gesichtsbild","Iris-Scan","empreinte digitale","empreintes digitales","gabarit facial","huella dactilar","huellas dactilares","reconocimiento facial"],
 ["enrolled","enrollment","enrolment","stored","captured","template","scan of","biometric","employee","user","customer","record",
  "gespeichert","erfasst","biometrisch","enregistré","enregistrée","biométrique","almacenado","almacenada","biométrico"],
 ["fingerprint template stored for employee 4711", "enrolled faceprint for user jdoe", "Fingerabdruck gespeichert", "empreinte digitale enregistrée"],
 ["fingerprint reader driver update", "voice print settings menu", "the fingerprint of a hash function"])

det("criminal_record","lexicon","Criminal convictions and offences of a person (GDPR art. 10; en/de/fr/es)",
 ["criminal record","conviction","convictions","convicted","felony","misdemeanor","misdemeanour","probation","parole","prison sentence","suspended sentence","community service order","DUI","DWI","drink driving","drunk driving","assault","burglary","theft","fraud","shoplifting","possession of cannabis","drug possession","domestic violence","sex offender","restraining order",
  "Vorstrafe","Vorstrafen","vorbestraft","Bewährung","Haftstrafe","Diebstahl","Betrug","Körperverletzung","Führungszeugnis",
  "casier judiciaire","condamnation","condamné","condamnée","sursis","vol","escroquerie","agression",
  "antecedentes penales","condena","condenado","condenada","libertad condicional","hurto","robo","estafa"],
 ["convicted of","conviction for","sentenced","arrested","charged with","pleaded guilty","found guilty","served","record","offence","offense","background check",
  "verurteilt","wegen","angeklagt","festgenommen","Eintrag",
  "condamné pour","condamnée pour","arrêté","inculpé","mention",
  "condenado por","condenada por","detenido","acusado de"],
 ["convicted of burglary in 2018", "criminal record: DUI (2020)", "wegen Diebstahl verurteilt", "condamné pour escroquerie", "condenado por estafa"],
 ["theft prevention tips for shops", "fraud detection model accuracy", "the probation period of a new hire is six months"])

out = ['# Special categories of personal data (GDPR art. 9 and 10): lexicons of conditions, beliefs,',
 '# parties, origins, orientations, unions, genetic and biometric data and offences, in English,',
 '# German, French and Spanish. A term is reported only with a personal cue near it',
 '# ("diagnosed with", "leidet an", "convicted of", "religion:"), so "diabetes research fund" or',
 '# "European Union" are not; column names (a `religion` or `diagnosis` column) are cues too.',
 '# Term lists are compiled by hand from general vocabulary (no third-party list is copied).',
 '# Generated by benches/gen_special.py; edit there.',
 '[pack]','name = "special"','description = "Special categories of personal data (GDPR art. 9/10)"','']
for d in dets:
    terms=d["terms"]
    out.append('[[detector]]')
    out.append('id = %s' % q(d["id"]))
    out.append('variant = %s' % q(d["variant"]))
    out.append('name = %s' % q(d["name"]))
    out.append('category = "special_category"')
    out.append('sensitivity = "special"')
    out.append('trigger = "literal"')
    out.append('whole_word = true')
    out.append('literals = [%s]' % ", ".join(q(t) for t in sorted(set(terms))))
    out.append("regex = '''%s\\b'''" % alt(terms))
    out.append("reject_before = '''[A-Za-z0-9\\x80-\\xFF]$'''")
    out.append('keywords = [%s]' % ", ".join(q(t) for t in d["cues"]))
    out.append('keyword_window = %d' % d["window"])
    out.append('require_keyword = true')
    out.append('confidence = "medium"')
    out.append('mask = "full"')
    out.append('max_len = 64')
    out.append('examples = [%s]' % ", ".join(q(t) for t in d["examples"]))
    out.append('negative_examples = [%s]' % ", ".join(q(t) for t in d["negatives"]))
    out.append('')
# genotype variant
out += ['[[detector]]','id = "genetic"','variant = "genotype"','name = "Genotype: an rsID with its alleles (rs429358 C;T)"','category = "special_category"','sensitivity = "special"','trigger = "alnum"','token_len = [5, 12]',
 "regex = '''\\brs[0-9]{3,10}\\s*(?:[:=]\\s*)?\\(?[ACGTDI][;/]?[ACGTDI]\\)?(?:[^A-Za-z0-9]|$)'''",
 'confidence = "high"','mask = "full"','max_len = 32',
 'examples = ["rs429358(C;T)", "rs1801133 = AA", "genotype rs4680: G/A"]',
 'negative_examples = ["rs429358 is a variant in APOE", "rs1234", "cars 12345 AB"]','']
out += ['[[detector]]','id = "health"','variant = "icd10"','name = "ICD-10 diagnosis code with context"','category = "special_category"','sensitivity = "special"','trigger = "alnum"','token_len = [3, 8]',
 "regex = '''\\b[A-TV-Z][0-9]{2}(?:\\.[0-9A-Z]{1,4})?\\b'''",
 'keywords = ["ICD", "ICD-10", "ICD10", "diagnosis", "diagnosis code", "dx", "Diagnose", "diagnostic", "diagnóstico", "CIE-10", "CIM-10"]',
 'keyword_window = 24','require_keyword = true','confidence = "medium"','mask = "full"','max_len = 10',
 'examples = ["ICD-10: E11.9", "diagnosis code F32.1", "Diagnose: J45"]',
 'negative_examples = ["E11.9", "version B12 released", "room A12"]','']
open(__import__('os').path.join(__import__('os').path.dirname(__file__), '..', 'patterns', 'special.toml'),'w').write("\n".join(out))
