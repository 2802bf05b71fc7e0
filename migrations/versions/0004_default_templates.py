"""default pathway templates: the seven regional care pathways, the BTI relay log and "other"

Revision ID: 0004templates
Revises: 0003relay
Create Date: 2026-11-23 15:10:00

Data only. The texts are written in our own plain words from the public descriptions of the
regional care pathways for children and young people (samhandlingsforløp, Helse Møre og Romsdal
and Helse Fonna) and of BTI (Betre tverrfagleg innsats). Each step says, per kind of service,
who does what, in nynorsk and bokmål. The admin edits them afterwards (/admin/templates).

Lightweight table definitions only: a migration never imports the app's models.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004templates'
down_revision = '0003relay'
branch_labels = None
depends_on = None


templates = sa.table(
    "pathway_templates",
    sa.column("id", sa.Integer), sa.column("key", sa.String), sa.column("position", sa.Integer),
    sa.column("name_nn", sa.String), sa.column("name_nb", sa.String),
    sa.column("summary_nn", sa.String), sa.column("summary_nb", sa.String), sa.column("active", sa.Boolean),
)
steps = sa.table(
    "template_steps",
    sa.column("id", sa.Integer), sa.column("template_id", sa.Integer), sa.column("position", sa.Integer),
    sa.column("name_nn", sa.String), sa.column("name_nb", sa.String),
)
guidance = sa.table(
    "step_guidance",
    sa.column("id", sa.Integer), sa.column("step_id", sa.Integer), sa.column("service_kind", sa.String),
    sa.column("text_nn", sa.String), sa.column("text_nb", sa.String),
)
pathways = sa.table("pathways", sa.column("template_id", sa.Integer), sa.column("step_id", sa.Integer))

# Service kinds (accounts.models.ServiceKind values).
BUP, SCHOOL, PPT, CW, GP, OTHER = "bup", "school_health", "ppt", "child_welfare", "gp", "other"

# The usual step names (nynorsk, bokmål).
ASSESSMENT = ("Kartlegging", "Kartlegging")
MEASURES = ("Tiltak i kommunen", "Tiltak i kommunen")
EVALUATION = ("Evaluering", "Evaluering")
COOPERATION = ("Samarbeid med andre tenester", "Samarbeid med andre tjenester")
REFERRAL = ("Tilvising til BUP", "Henvisning til BUP")
CLOSING = ("Avslutning", "Avslutning")

# key, (name nn, nb), (summary nn, nb), [((step name nn, nb), [(service kind, text nn, text nb), ...]), ...]
DEFAULTS = [
    ("anxiety", ("Angst", "Angst"), (
        "For barn og unge med mykje angst og frykt som hindrar dei i kvardagen, til dømes på skulen eller med "
        "vener. Kommunen startar med kartlegging og tiltak; BUP kjem inn når det trengst.",
        "For barn og unge med mye angst og frykt som hindrer dem i hverdagen, for eksempel på skolen eller med "
        "venner. Kommunen starter med kartlegging og tiltak; BUP kommer inn når det trengs."), [
        (ASSESSMENT, [
            (SCHOOL, "Helsesjukepleiaren snakkar med barnet og føresette om kva som er vanskeleg og kva som hjelper, "
                     "og kan bruke eit enkelt kartleggingsskjema.",
                     "Helsesykepleieren snakker med barnet og de foresatte om hva som er vanskelig og hva som hjelper, "
                     "og kan bruke et enkelt kartleggingsskjema."),
            (PPT, "PPT kan kartleggje korleis angsten verkar inn på skulekvardagen og læringa, når skulen ber om det.",
                  "PPT kan kartlegge hvordan angsten virker inn på skolehverdagen og læringen, når skolen ber om det."),
            (GP, "Fastlegen ser etter kroppslege årsaker til plagene, til dømes hjartebank, vondt i magen eller "
                 "dårleg søvn.",
                 "Fastlegen ser etter kroppslige årsaker til plagene, for eksempel hjertebank, vondt i magen eller "
                 "dårlig søvn."),
            (OTHER, "Skule og barnehage fortel kva dei ser i kvardagen, når føresette har sagt ja til det.",
                    "Skole og barnehage forteller hva de ser i hverdagen, når de foresatte har sagt ja til det."),
        ]),
        (MEASURES, [
            (SCHOOL, "Helsesjukepleiaren gir samtalar og råd om angst, søvn og pust, og lærer barnet og foreldra "
                     "korleis dei kan møte det som er skummelt, litt etter litt.",
                     "Helsesykepleieren gir samtaler og råd om angst, søvn og pust, og lærer barnet og foreldrene "
                     "hvordan de kan møte det som er skummelt, litt etter litt."),
            (PPT, "PPT rettleier skulen i tilrettelegging, til dømes ein trygg vaksen, ein plan for fråvær og mindre "
                  "press i periodar.",
                  "PPT veileder skolen i tilrettelegging, for eksempel en trygg voksen, en plan for fravær og mindre "
                  "press i perioder."),
            (CW, "Barnevernstenesta kan tilby foreldrerettleiing eller støtte heime når familien treng det.",
                 "Barneverntjenesten kan tilby foreldreveiledning eller støtte hjemme når familien trenger det."),
            (OTHER, "Skulen legg til rette i timane og passar på at barnet ikkje blir verande borte frå skulen.",
                    "Skolen legger til rette i timene og passer på at barnet ikke blir værende borte fra skolen."),
        ]),
        (EVALUATION, [
            (SCHOOL, "Helsesjukepleiaren går gjennom med barnet og føresette om tiltaka har hjelpt, etter om lag "
                     "seks til åtte veker.",
                     "Helsesykepleieren går gjennom med barnet og de foresatte om tiltakene har hjulpet, etter "
                     "omtrent seks til åtte uker."),
            (PPT, "PPT og skulen ser på om tilrettelegginga verkar, og endrar ho om det trengst.",
                  "PPT og skolen ser på om tilretteleggingen virker, og endrer den om det trengs."),
            (GP, "Fastlegen vurderer saman med dei andre om det er grunn til å tilvise vidare.",
                 "Fastlegen vurderer sammen med de andre om det er grunn til å henvise videre."),
        ]),
        (COOPERATION, [
            (SCHOOL, "Helsesjukepleiaren kallar inn til samarbeidsmøte med familien når fleire tenester er med, og "
                     "avtalar kven som gjer kva.",
                     "Helsesykepleieren kaller inn til samarbeidsmøte med familien når flere tjenester er med, og "
                     "avtaler hvem som gjør hva."),
            (PPT, "PPT deltek i møta og tek med seg det skulen treng hjelp til.",
                  "PPT deltar i møtene og tar med seg det skolen trenger hjelp til."),
            (CW, "Barnevernstenesta deltek når familien har tiltak derifrå, og seier kva dei kan bidra med.",
                 "Barneverntjenesten deltar når familien har tiltak derfra, og sier hva de kan bidra med."),
            (BUP, "BUP kan gi råd til kommunen i eit drøftingsmøte, utan namn eller med samtykke frå familien.",
                  "BUP kan gi råd til kommunen i et drøftingsmøte, uten navn eller med samtykke fra familien."),
        ]),
        (REFERRAL, [
            (GP, "Fastlegen skriv tilvisinga når angsten ikkje blir betre av tiltaka i kommunen, og legg ved det som "
                 "er kartlagt og prøvd.",
                 "Fastlegen skriver henvisningen når angsten ikke blir bedre av tiltakene i kommunen, og legger ved "
                 "det som er kartlagt og prøvd."),
            (BUP, "BUP vurderer tilvisinga, gir svar om rett til helsehjelp og kallar inn barnet og familien.",
                  "BUP vurderer henvisningen, gir svar om rett til helsehjelp og kaller inn barnet og familien."),
            (SCHOOL, "Helsesjukepleiaren held kontakt med barnet medan det ventar, og held fram med tiltaka.",
                     "Helsesykepleieren holder kontakt med barnet mens det venter, og fortsetter med tiltakene."),
        ]),
        (CLOSING, [
            (BUP, "BUP avsluttar behandlinga i samråd med familien og sender ein plan for vidare oppfølging til "
                  "fastlegen og kommunen.",
                  "BUP avslutter behandlingen i samråd med familien og sender en plan for videre oppfølging til "
                  "fastlegen og kommunen."),
            (SCHOOL, "Helsesjukepleiaren avtalar med barnet korleis det kan ta kontakt igjen om angsten kjem tilbake.",
                     "Helsesykepleieren avtaler med barnet hvordan det kan ta kontakt igjen om angsten kommer "
                     "tilbake."),
            (GP, "Fastlegen følgjer opp det som står att etter avslutninga.",
                 "Fastlegen følger opp det som står igjen etter avslutningen."),
        ]),
    ]),
    ("autism", ("Autisme", "Autisme"), (
        "For barn og unge der nokon lurer på om det kan vere autisme: teikn i samspel, språk og kvardag. "
        "Tiltak startar med ein gong, utan å vente på ei diagnose.",
        "For barn og unge der noen lurer på om det kan være autisme: tegn i samspill, språk og hverdag. "
        "Tiltak starter med en gang, uten å vente på en diagnose."), [
        (ASSESSMENT, [
            (SCHOOL, "Helsestasjonen eller skulehelsetenesta ser etter teikn i samspel og språk, og snakkar med "
                     "føresette om det dei har sett.",
                     "Helsestasjonen eller skolehelsetjenesten ser etter tegn i samspill og språk, og snakker med "
                     "de foresatte om det de har sett."),
            (PPT, "PPT observerer barnet i barnehagen eller på skulen og kartlegg språk, læring og samspel.",
                  "PPT observerer barnet i barnehagen eller på skolen og kartlegger språk, læring og samspill."),
            (GP, "Fastlegen undersøkjer høyrsel, syn og anna som kan forklare vanskane.",
                 "Fastlegen undersøker hørsel, syn og annet som kan forklare vanskene."),
            (OTHER, "Barnehagen eller skulen skildrar korleis barnet har det i leik, læring og overgangar.",
                    "Barnehagen eller skolen beskriver hvordan barnet har det i lek, læring og overganger."),
        ]),
        (MEASURES, [
            (PPT, "PPT tilrår tilrettelegging og spesialpedagogisk hjelp, og rettleier personalet.",
                  "PPT anbefaler tilrettelegging og spesialpedagogisk hjelp, og veileder personalet."),
            (SCHOOL, "Helsesjukepleiaren gir foreldra råd om søvn, mat og kvardagsrutinar.",
                     "Helsesykepleieren gir foreldrene råd om søvn, mat og hverdagsrutiner."),
            (CW, "Barnevernstenesta kan gi støtte heime når familien står i ein krevjande kvardag.",
                 "Barneverntjenesten kan gi støtte hjemme når familien står i en krevende hverdag."),
            (OTHER, "Barnehagen eller skulen lagar faste rutinar, bruker bilete og førebur barnet på endringar.",
                    "Barnehagen eller skolen lager faste rutiner, bruker bilder og forbereder barnet på endringer."),
        ]),
        (REFERRAL, [
            (GP, "Fastlegen tilviser til utgreiing i BUP eller habiliteringstenesta og legg ved det kommunen har "
                 "kartlagt.",
                 "Fastlegen henviser til utredning i BUP eller habiliteringstjenesten og legger ved det kommunen "
                 "har kartlagt."),
            (PPT, "PPT sender med rapporten sin, når føresette har sagt ja til det.",
                  "PPT sender med rapporten sin, når de foresatte har sagt ja til det."),
            (BUP, "BUP vurderer tilvisinga og gir familien svar om når utgreiinga startar.",
                  "BUP vurderer henvisningen og gir familien svar om når utredningen starter."),
        ]),
        (("Utgreiing", "Utredning"), [
            (BUP, "BUP greier ut saman med familien og barnehagen eller skulen, og forklarar resultatet i eit møte "
                  "med ord alle forstår.",
                  "BUP utreder sammen med familien og barnehagen eller skolen, og forklarer resultatet i et møte "
                  "med ord alle forstår."),
            (PPT, "PPT deltek i utgreiinga med det dei har sett og veit om barnet i læringa.",
                  "PPT deltar i utredningen med det de har sett og vet om barnet i læringen."),
            (OTHER, "Barnehagen eller skulen svarar på spørsmål og fyller ut skjema når BUP ber om det.",
                    "Barnehagen eller skolen svarer på spørsmål og fyller ut skjemaer når BUP ber om det."),
        ]),
        (COOPERATION, [
            (BUP, "BUP rettleier foreldra og dei som er rundt barnet kvar dag, til dømes i eit foreldrekurs.",
                  "BUP veileder foreldrene og dem som er rundt barnet hver dag, for eksempel i et foreldrekurs."),
            (PPT, "PPT følgjer opp tilrettelegginga i barnehagen eller på skulen og deltek i ansvarsgruppa.",
                  "PPT følger opp tilretteleggingen i barnehagen eller på skolen og deltar i ansvarsgruppen."),
            (SCHOOL, "Helsesjukepleiaren følgjer med på helse og trivsel og deltek i ansvarsgruppa når det trengst.",
                     "Helsesykepleieren følger med på helse og trivsel og deltar i ansvarsgruppen når det trengs."),
            (OTHER, "Kommunen kan tilby individuell plan og ein koordinator når barnet har mange tenester.",
                    "Kommunen kan tilby individuell plan og en koordinator når barnet har mange tjenester."),
        ]),
        (CLOSING, [
            (BUP, "BUP avsluttar når utgreiinga og rettleiinga er ferdig, og skriv kva kommunen skal følgje opp "
                  "vidare.",
                  "BUP avslutter når utredningen og veiledningen er ferdig, og skriver hva kommunen skal følge opp "
                  "videre."),
            (GP, "Fastlegen får epikrisen og tilviser på nytt om det trengst seinare.",
                 "Fastlegen får epikrisen og henviser på nytt om det trengs senere."),
            (PPT, "PPT held fram med å følgje opp skulen eller barnehagen så lenge barnet har vedtak om hjelp.",
                  "PPT fortsetter å følge opp skolen eller barnehagen så lenge barnet har vedtak om hjelp."),
        ]),
    ]),
    ("infant_concern", ("Uro for barn 0–3 år", "Bekymring for barn 0–3 år"), (
        "For dei minste barna, når nokon er uroa for utvikling, samspel, søvn, mat eller korleis barnet har det "
        "heime. Helsestasjonen har hovudansvaret.",
        "For de minste barna, når noen er bekymret for utvikling, samspill, søvn, mat eller hvordan barnet har "
        "det hjemme. Helsestasjonen har hovedansvaret."), [
        (("Kartlegging på helsestasjonen", "Kartlegging på helsestasjonen"), [
            (SCHOOL, "Helsestasjonen snakkar med foreldra, ser på samspelet og følgjer med på vekst og utvikling ved "
                     "kvar kontroll.",
                     "Helsestasjonen snakker med foreldrene, ser på samspillet og følger med på vekst og utvikling "
                     "ved hver kontroll."),
            (GP, "Fastlegen undersøkjer barnet for sjukdom og spør korleis foreldra sjølve har det.",
                 "Fastlegen undersøker barnet for sykdom og spør hvordan foreldrene selv har det."),
            (OTHER, "Barnehagen fortel kva dei ser av leik, språk og samspel, når foreldra har sagt ja.",
                    "Barnehagen forteller hva de ser av lek, språk og samspill, når foreldrene har sagt ja."),
        ]),
        (MEASURES, [
            (SCHOOL, "Helsestasjonen gir ekstra konsultasjonar, heimebesøk og rettleiing i samspel, søvn og mat.",
                     "Helsestasjonen gir ekstra konsultasjoner, hjemmebesøk og veiledning i samspill, søvn og mat."),
            (PPT, "PPT kan vurdere spesialpedagogisk hjelp, også før barnet har byrja i barnehagen.",
                  "PPT kan vurdere spesialpedagogisk hjelp, også før barnet har begynt i barnehagen."),
            (CW, "Barnevernstenesta kan gi foreldrestøtte og hjelpetiltak heime når foreldra treng meir enn råd.",
                 "Barneverntjenesten kan gi foreldrestøtte og hjelpetiltak hjemme når foreldrene trenger mer enn "
                 "råd."),
        ]),
        (EVALUATION, [
            (SCHOOL, "Helsestasjonen ser saman med foreldra på om barnet og samspelet har endra seg, og avtalar vegen "
                     "vidare.",
                     "Helsestasjonen ser sammen med foreldrene på om barnet og samspillet har endret seg, og avtaler "
                     "veien videre."),
            (CW, "Barnevernstenesta evaluerer hjelpetiltaka etter planen dei har laga med familien.",
                 "Barneverntjenesten evaluerer hjelpetiltakene etter planen de har laget med familien."),
        ]),
        (COOPERATION, [
            (SCHOOL, "Helsestasjonen kallar inn til samarbeidsmøte og sørgjer for at foreldra veit kven som gjer kva.",
                     "Helsestasjonen kaller inn til samarbeidsmøte og sørger for at foreldrene vet hvem som gjør "
                     "hva."),
            (GP, "Fastlegen er med når det gjeld sjukdom hos barnet eller psykisk helse hos foreldra.",
                 "Fastlegen er med når det gjelder sykdom hos barnet eller psykisk helse hos foreldrene."),
            (CW, "Barnevernstenesta deltek når dei har ei sak, og seier frå om det er grunn til uro for omsorga.",
                 "Barneverntjenesten deltar når de har en sak, og sier fra om det er grunn til bekymring for "
                 "omsorgen."),
            (BUP, "BUP kan gi råd i eit drøftingsmøte før det blir aktuelt å tilvise.",
                  "BUP kan gi råd i et drøftingsmøte før det blir aktuelt å henvise."),
        ]),
        (REFERRAL, [
            (GP, "Fastlegen eller helsestasjonslegen tilviser til sped- og småbarnsteamet i BUP når tiltaka i "
                 "kommunen ikkje er nok.",
                 "Fastlegen eller helsestasjonslegen henviser til sped- og småbarnsteamet i BUP når tiltakene i "
                 "kommunen ikke er nok."),
            (BUP, "BUP ser barnet og foreldra saman, ofte med video av samspelet, og rettleier familien.",
                  "BUP ser barnet og foreldrene sammen, ofte med video av samspillet, og veileder familien."),
            (SCHOOL, "Helsestasjonen følgjer barnet vidare medan BUP er inne.",
                     "Helsestasjonen følger barnet videre mens BUP er inne."),
        ]),
        (CLOSING, [
            (BUP, "BUP avsluttar i eit møte med foreldra og helsestasjonen og skriv kva som skal følgjast opp.",
                  "BUP avslutter i et møte med foreldrene og helsestasjonen og skriver hva som skal følges opp."),
            (SCHOOL, "Helsestasjonen held fram med dei vanlege kontrollane og tek kontakt om uroa kjem tilbake.",
                     "Helsestasjonen fortsetter med de vanlige kontrollene og tar kontakt om bekymringen kommer "
                     "tilbake."),
        ]),
    ]),
    ("attention", ("Uro og konsentrasjonsvanskar", "Uro og konsentrasjonsvansker"), (
        "For barn og unge som har vanskeleg for å sitje i ro, halde merksemda eller styre seg sjølv, heime og på "
        "skulen. Først kartlegging og tilrettelegging i kommunen, så utgreiing i BUP om det trengst.",
        "For barn og unge som har vanskelig for å sitte i ro, holde oppmerksomheten eller styre seg selv, hjemme "
        "og på skolen. Først kartlegging og tilrettelegging i kommunen, så utredning i BUP om det trengs."), [
        (ASSESSMENT, [
            (SCHOOL, "Helsesjukepleiaren snakkar med barnet og foreldra om søvn, mat, trivsel og kva som skjer heime.",
                     "Helsesykepleieren snakker med barnet og foreldrene om søvn, mat, trivsel og hva som skjer "
                     "hjemme."),
            (PPT, "PPT kartlegg læring, språk og konsentrasjon og observerer barnet i klassen.",
                  "PPT kartlegger læring, språk og konsentrasjon og observerer barnet i klassen."),
            (GP, "Fastlegen sjekkar syn, høyrsel og anna som kan gi uro, til dømes søvnvanskar.",
                 "Fastlegen sjekker syn, hørsel og annet som kan gi uro, for eksempel søvnvansker."),
            (OTHER, "Skulen skildrar korleis barnet har det i timane og i friminutta, og kva som fungerer.",
                    "Skolen beskriver hvordan barnet har det i timene og i friminuttene, og hva som fungerer."),
        ]),
        (MEASURES, [
            (PPT, "PPT rettleier skulen i tilrettelegging, til dømes faste rutinar, korte økter og pausar.",
                  "PPT veileder skolen i tilrettelegging, for eksempel faste rutiner, korte økter og pauser."),
            (SCHOOL, "Helsesjukepleiaren gir råd om søvn og kvardag og kan tilby foreldrekurs.",
                     "Helsesykepleieren gir råd om søvn og hverdag og kan tilby foreldrekurs."),
            (CW, "Barnevernstenesta kan tilby foreldrerettleiing når familien treng meir støtte heime.",
                 "Barneverntjenesten kan tilby foreldreveiledning når familien trenger mer støtte hjemme."),
            (OTHER, "Skulen prøver tiltaka i klassen over tid og skriv ned kva som hjelper.",
                    "Skolen prøver tiltakene i klassen over tid og skriver ned hva som hjelper."),
        ]),
        (EVALUATION, [
            (PPT, "PPT og skulen går gjennom tiltaka etter om lag tre månader og endrar det som ikkje verkar.",
                  "PPT og skolen går gjennom tiltakene etter omtrent tre måneder og endrer det som ikke virker."),
            (SCHOOL, "Helsesjukepleiaren spør barnet sjølv kva som har blitt betre og kva som framleis er vanskeleg.",
                     "Helsesykepleieren spør barnet selv hva som har blitt bedre og hva som fortsatt er vanskelig."),
        ]),
        (COOPERATION, [
            (SCHOOL, "Helsesjukepleiaren kallar inn til samarbeidsmøte med familien, skulen og PPT, og avtalar kven "
                     "som gjer kva.",
                     "Helsesykepleieren kaller inn til samarbeidsmøte med familien, skolen og PPT, og avtaler hvem "
                     "som gjør hva."),
            (PPT, "PPT deltek og skriv ei sakkunnig vurdering om barnet kan trenge spesialundervisning.",
                  "PPT deltar og skriver en sakkyndig vurdering om barnet kan trenge spesialundervisning."),
            (CW, "Barnevernstenesta deltek når dei har tiltak i familien.",
                 "Barneverntjenesten deltar når de har tiltak i familien."),
            (BUP, "BUP kan gi råd i eit drøftingsmøte før ei eventuell tilvising.",
                  "BUP kan gi råd i et drøftingsmøte før en eventuell henvisning."),
        ]),
        (REFERRAL, [
            (GP, "Fastlegen tilviser til utgreiing når vanskane held fram trass i tiltaka, og legg ved kartlegginga "
                 "frå skulen og PPT.",
                 "Fastlegen henviser til utredning når vanskene fortsetter tross tiltakene, og legger ved "
                 "kartleggingen fra skolen og PPT."),
            (BUP, "BUP greier ut, mellom anna for ADHD, og forklarar resultatet og mogleg behandling for barnet og "
                  "foreldra.",
                  "BUP utreder, blant annet for ADHD, og forklarer resultatet og mulig behandling for barnet og "
                  "foreldrene."),
            (PPT, "PPT sender rapporten sin med tilvisinga når foreldra har sagt ja.",
                  "PPT sender rapporten sin med henvisningen når foreldrene har sagt ja."),
        ]),
        (CLOSING, [
            (BUP, "BUP avsluttar når behandlinga er stabil og gir fastlegen ansvaret for vidare oppfølging, også av "
                  "medisinar.",
                  "BUP avslutter når behandlingen er stabil og gir fastlegen ansvaret for videre oppfølging, også "
                  "av medisiner."),
            (GP, "Fastlegen følgjer opp medisinar, vekst og blodtrykk etter planen frå BUP.",
                 "Fastlegen følger opp medisiner, vekst og blodtrykk etter planen fra BUP."),
            (PPT, "PPT og skulen held fram med tilrettelegginga så lenge barnet treng ho.",
                  "PPT og skolen fortsetter med tilretteleggingen så lenge barnet trenger den."),
        ]),
    ]),
    ("eating", ("Eteproblem", "Spiseproblemer"), (
        "For barn og unge som et for lite, for mykje eller på ein måte som uroar, eller som er svært opptekne av "
        "kropp og vekt. Eteforstyrringar kan raskt bli farlege: kroppen må sjekkast tidleg.",
        "For barn og unge som spiser for lite, for mye eller på en måte som bekymrer, eller som er svært opptatt "
        "av kropp og vekt. Spiseforstyrrelser kan raskt bli farlige: kroppen må sjekkes tidlig."), [
        (ASSESSMENT, [
            (SCHOOL, "Helsesjukepleiaren snakkar med ungdomen om mat, kropp og trivsel, og måler høgd og vekt.",
                     "Helsesykepleieren snakker med ungdommen om mat, kropp og trivsel, og måler høyde og vekt."),
            (GP, "Fastlegen undersøkjer kroppen raskt: vekt, puls, blodtrykk og blodprøver, og vurderer om det hastar.",
                 "Fastlegen undersøker kroppen raskt: vekt, puls, blodtrykk og blodprøver, og vurderer om det "
                 "haster."),
            (OTHER, "Skulen seier frå til helsesjukepleiaren når dei ser endringar i måltid, trening eller humør.",
                    "Skolen sier fra til helsesykepleieren når de ser endringer i måltider, trening eller humør."),
        ]),
        (MEASURES, [
            (SCHOOL, "Helsesjukepleiaren har faste samtalar, følgjer vekta og hjelper familien med ein plan for "
                     "måltida.",
                     "Helsesykepleieren har faste samtaler, følger vekten og hjelper familien med en plan for "
                     "måltidene."),
            (GP, "Fastlegen følgjer opp kroppen jamleg og seier klart frå når helsa er i fare.",
                 "Fastlegen følger opp kroppen jevnlig og sier klart fra når helsen er i fare."),
            (OTHER, "Skulen legg til rette for måltida og for kroppsøvinga, etter råd frå helsetenesta.",
                    "Skolen legger til rette for måltidene og for kroppsøvingen, etter råd fra helsetjenesten."),
        ]),
        (EVALUATION, [
            (SCHOOL, "Helsesjukepleiaren og fastlegen ser saman på vekt og trivsel etter nokre få veker.",
                     "Helsesykepleieren og fastlegen ser sammen på vekt og trivsel etter noen få uker."),
            (GP, "Fastlegen avgjer om tiltaka i kommunen er nok, eller om det må tilvisast.",
                 "Fastlegen avgjør om tiltakene i kommunen er nok, eller om det må henvises."),
        ]),
        (REFERRAL, [
            (GP, "Fastlegen tilviser til BUP når vekta fell, åtferda held fram eller kroppen viser faresignal; ved "
                 "fare for livet blir det akutt innlegging.",
                 "Fastlegen henviser til BUP når vekten faller, atferden fortsetter eller kroppen viser "
                 "faresignaler; ved fare for livet blir det akutt innleggelse."),
            (BUP, "BUP vurderer tilvisinga raskt og tilbyr familiebasert behandling der foreldra får ei viktig rolle.",
                  "BUP vurderer henvisningen raskt og tilbyr familiebasert behandling der foreldrene får en viktig "
                  "rolle."),
            (SCHOOL, "Helsesjukepleiaren held kontakten med ungdomen medan dei ventar.",
                     "Helsesykepleieren holder kontakten med ungdommen mens de venter."),
        ]),
        (COOPERATION, [
            (BUP, "BUP leier behandlinga og avtalar med kommunen kven som følgjer opp vekt og kropp mellom timane.",
                  "BUP leder behandlingen og avtaler med kommunen hvem som følger opp vekt og kropp mellom timene."),
            (GP, "Fastlegen tek jamlege kroppslege kontrollar etter avtale med BUP.",
                 "Fastlegen tar jevnlige kroppslige kontroller etter avtale med BUP."),
            (OTHER, "Skulen får råd om måltid, fysisk aktivitet og fråvær, og følgjer planen.",
                    "Skolen får råd om måltider, fysisk aktivitet og fravær, og følger planen."),
        ]),
        (CLOSING, [
            (BUP, "BUP avsluttar når vekt og eting har vore stabile ei tid, og lagar ein plan for kva familien gjer "
                  "om det går feil veg.",
                  "BUP avslutter når vekt og spising har vært stabile en tid, og lager en plan for hva familien "
                  "gjør om det går feil vei."),
            (SCHOOL, "Helsesjukepleiaren tilbyr samtalar vidare og følgjer med på trivselen.",
                     "Helsesykepleieren tilbyr samtaler videre og følger med på trivselen."),
        ]),
    ]),
    ("depression", ("Depresjon og tristheit", "Depresjon og tristhet"), (
        "For barn og unge som er triste, slitne eller har mista lysta over lang tid. Kommunen startar med "
        "samtalar og tiltak. Den som har tankar om å ta sitt eige liv, skal få hjelp same dag.",
        "For barn og unge som er triste, slitne eller har mistet lysten over lang tid. Kommunen starter med "
        "samtaler og tiltak. Den som har tanker om å ta sitt eget liv, skal få hjelp samme dag."), [
        (ASSESSMENT, [
            (SCHOOL, "Helsesjukepleiaren snakkar med ungdomen om humør, søvn, vener og skule, og spør alltid om "
                     "tankar om sjølvmord.",
                     "Helsesykepleieren snakker med ungdommen om humør, søvn, venner og skole, og spør alltid om "
                     "tanker om selvmord."),
            (GP, "Fastlegen ser etter kroppslege årsaker, til dømes lågt stoffskifte eller jernmangel.",
                 "Fastlegen ser etter kroppslige årsaker, for eksempel lavt stoffskifte eller jernmangel."),
            (OTHER, "Skulen seier frå når dei ser at ein elev trekkjer seg unna, har mykje fråvær eller endrar seg.",
                    "Skolen sier fra når de ser at en elev trekker seg unna, har mye fravær eller endrer seg."),
        ]),
        (MEASURES, [
            (SCHOOL, "Helsesjukepleiaren gir faste samtalar og hjelper ungdomen med søvn, aktivitet og ting som gir "
                     "glede.",
                     "Helsesykepleieren gir faste samtaler og hjelper ungdommen med søvn, aktivitet og ting som gir "
                     "glede."),
            (PPT, "PPT kan rettleie skulen i å lette på krava i ein periode.",
                  "PPT kan veilede skolen i å lette på kravene i en periode."),
            (GP, "Fastlegen kan tilby samtalar eller sende vidare til psykisk helseteneste i kommunen.",
                 "Fastlegen kan tilby samtaler eller sende videre til psykisk helsetjeneste i kommunen."),
            (OTHER, "Psykisk helseteneste i kommunen kan gi samtalebehandling, til dømes kurs i å meistre tunge "
                    "tankar.",
                    "Psykisk helsetjeneste i kommunen kan gi samtalebehandling, for eksempel kurs i å mestre tunge "
                    "tanker."),
        ]),
        (EVALUATION, [
            (SCHOOL, "Helsesjukepleiaren går gjennom med ungdomen om det har blitt betre, etter seks til åtte veker.",
                     "Helsesykepleieren går gjennom med ungdommen om det har blitt bedre, etter seks til åtte uker."),
            (GP, "Fastlegen vurderer saman med dei andre om det trengst hjelp frå BUP.",
                 "Fastlegen vurderer sammen med de andre om det trengs hjelp fra BUP."),
        ]),
        (COOPERATION, [
            (SCHOOL, "Helsesjukepleiaren kallar inn til samarbeidsmøte og sørgjer for at ungdomen sjølv er med og "
                     "blir høyrd.",
                     "Helsesykepleieren kaller inn til samarbeidsmøte og sørger for at ungdommen selv er med og "
                     "blir hørt."),
            (CW, "Barnevernstenesta deltek når det er uro for korleis ungdomen har det heime.",
                 "Barneverntjenesten deltar når det er bekymring for hvordan ungdommen har det hjemme."),
            (BUP, "BUP kan gi råd i eit drøftingsmøte før tilvising.",
                  "BUP kan gi råd i et drøftingsmøte før henvisning."),
        ]),
        (REFERRAL, [
            (GP, "Fastlegen tilviser når tristheita ikkje går over eller blir verre; ved fare for sjølvmord tek "
                 "fastlegen eller legevakta kontakt med BUP same dag.",
                 "Fastlegen henviser når tristheten ikke går over eller blir verre; ved fare for selvmord tar "
                 "fastlegen eller legevakten kontakt med BUP samme dag."),
            (BUP, "BUP vurderer tilvisinga, gir behandling og lagar ein tryggleiksplan saman med ungdomen og "
                  "familien.",
                  "BUP vurderer henvisningen, gir behandling og lager en trygghetsplan sammen med ungdommen og "
                  "familien."),
            (SCHOOL, "Helsesjukepleiaren held kontakten og følgjer opp på skulen medan ungdomen ventar.",
                     "Helsesykepleieren holder kontakten og følger opp på skolen mens ungdommen venter."),
        ]),
        (CLOSING, [
            (BUP, "BUP avsluttar i samråd med ungdomen og skriv kva som skal følgjast opp i kommunen.",
                  "BUP avslutter i samråd med ungdommen og skriver hva som skal følges opp i kommunen."),
            (SCHOOL, "Helsesjukepleiaren avtalar korleis ungdomen kan ta kontakt igjen om det blir tungt.",
                     "Helsesykepleieren avtaler hvordan ungdommen kan ta kontakt igjen om det blir tungt."),
            (GP, "Fastlegen følgjer opp vidare, også medisinar om ungdomen har fått det.",
                 "Fastlegen følger opp videre, også medisiner om ungdommen har fått det."),
        ]),
    ]),
    ("violence", ("Vald, overgrep og omsorgssvikt", "Vold, overgrep og omsorgssvikt"), (
        "For barn og unge som kan vere utsette for vald, overgrep eller omsorgssvikt. Alle som arbeider med barn, "
        "har plikt til å melde frå til barnevernet. Tryggleiken til barnet kjem først.",
        "For barn og unge som kan være utsatt for vold, overgrep eller omsorgssvikt. Alle som arbeider med barn, "
        "har plikt til å melde fra til barnevernet. Barnets trygghet kommer først."), [
        (("Melding til barnevernet", "Melding til barnevernet"), [
            (SCHOOL, "Helsesjukepleiaren lyttar til barnet utan å leie, skriv ned det barnet seier med barnet sine "
                     "eigne ord, og melder frå til barnevernet.",
                     "Helsesykepleieren lytter til barnet uten å lede, skriver ned det barnet sier med barnets egne "
                     "ord, og melder fra til barnevernet."),
            (PPT, "PPT har den same plikta til å melde frå, og gjer det sjølv utan å vente på andre.",
                  "PPT har den samme plikten til å melde fra, og gjør det selv uten å vente på andre."),
            (GP, "Fastlegen melder frå til barnevernet, og ved skadar eller akutt fare òg til politiet.",
                 "Fastlegen melder fra til barnevernet, og ved skader eller akutt fare også til politiet."),
            (CW, "Barnevernstenesta tek imot meldinga, vurderer om barnet er trygt i dag, og avgjer innan ei veke om "
                 "saka skal undersøkjast.",
                 "Barneverntjenesten tar imot meldingen, vurderer om barnet er trygt i dag, og avgjør innen en uke "
                 "om saken skal undersøkes."),
            (BUP, "BUP melder frå til barnevernet når dei blir uroa, også når barnet alt er i behandling.",
                  "BUP melder fra til barnevernet når de blir bekymret, også når barnet allerede er i behandling."),
            (OTHER, "Skule og barnehage melder frå sjølve, og snakkar ikkje med foreldra om mistanken før "
                    "barnevernet eller politiet har sagt at det er trygt.",
                    "Skole og barnehage melder fra selv, og snakker ikke med foreldrene om mistanken før "
                    "barnevernet eller politiet har sagt at det er trygt."),
        ]),
        (("Undersøking og tryggleik", "Undersøkelse og trygghet"), [
            (CW, "Barnevernstenesta undersøkjer saka, snakkar med barnet og sørgjer for at barnet er trygt, om "
                 "nødvendig med akutt flytting.",
                 "Barneverntjenesten undersøker saken, snakker med barnet og sørger for at barnet er trygt, om "
                 "nødvendig med akutt flytting."),
            (GP, "Fastlegen eller overgrepsmottaket undersøkjer og skriv ned skadar når det trengst.",
                 "Fastlegen eller overgrepsmottaket undersøker og dokumenterer skader når det trengs."),
            (SCHOOL, "Helsesjukepleiaren held fram som ein trygg vaksen for barnet og gir barnevernet opplysningar "
                     "når dei ber om det.",
                     "Helsesykepleieren fortsetter som en trygg voksen for barnet og gir barnevernet opplysninger "
                     "når de ber om det."),
            (OTHER, "Politiet og Statens barnehus har tilrettelagde avhøyr med barnet når det er mistanke om "
                    "straffbare forhold.",
                    "Politiet og Statens barnehus har tilrettelagte avhør med barnet når det er mistanke om "
                    "straffbare forhold."),
        ]),
        (MEASURES, [
            (CW, "Barnevernstenesta set i verk hjelpetiltak og lagar ein tiltaksplan saman med barnet og familien.",
                 "Barneverntjenesten setter i verk hjelpetiltak og lager en tiltaksplan sammen med barnet og "
                 "familien."),
            (SCHOOL, "Helsesjukepleiaren gir barnet faste samtalar og hjelp med søvn, kropp og kjensler.",
                     "Helsesykepleieren gir barnet faste samtaler og hjelp med søvn, kropp og følelser."),
            (PPT, "PPT rettleier skulen i korleis dei kan vere trygge vaksne og leggje til rette for barnet.",
                  "PPT veileder skolen i hvordan de kan være trygge voksne og legge til rette for barnet."),
            (OTHER, "Skulen eller barnehagen gir barnet faste rammer og ein vaksen å gå til.",
                    "Skolen eller barnehagen gir barnet faste rammer og en voksen å gå til."),
        ]),
        (REFERRAL, [
            (CW, "Barnevernsleiaren kan tilvise til BUP når barnet har sterke reaksjonar på det som har skjedd.",
                 "Barnevernslederen kan henvise til BUP når barnet har sterke reaksjoner på det som har skjedd."),
            (GP, "Fastlegen tilviser til BUP og legg ved det som er kjent om kva barnet har opplevd.",
                 "Fastlegen henviser til BUP og legger ved det som er kjent om hva barnet har opplevd."),
            (BUP, "BUP kartlegg traume og gir traumebehandling når barnet er trygt.",
                  "BUP kartlegger traumer og gir traumebehandling når barnet er trygt."),
        ]),
        (EVALUATION, [
            (CW, "Barnevernstenesta evaluerer tiltaksplanen jamleg saman med barnet, familien og dei andre "
                 "tenestene.",
                 "Barneverntjenesten evaluerer tiltaksplanen jevnlig sammen med barnet, familien og de andre "
                 "tjenestene."),
            (BUP, "BUP fortel kva behandlinga har gitt, og kva barnet treng vidare.",
                  "BUP forteller hva behandlingen har gitt, og hva barnet trenger videre."),
            (SCHOOL, "Helsesjukepleiaren spør barnet korleis det har det no, og tek det med inn i evalueringa.",
                     "Helsesykepleieren spør barnet hvordan det har det nå, og tar det med inn i evalueringen."),
        ]),
        (CLOSING, [
            (CW, "Barnevernstenesta avsluttar når barnet er trygt og tiltaka ikkje lenger trengst, og seier frå "
                 "til dei andre tenestene.",
                 "Barneverntjenesten avslutter når barnet er trygt og tiltakene ikke lenger trengs, og sier fra "
                 "til de andre tjenestene."),
            (BUP, "BUP avsluttar behandlinga og sender ein plan for oppfølging til fastlegen.",
                  "BUP avslutter behandlingen og sender en plan for oppfølging til fastlegen."),
            (SCHOOL, "Helsesjukepleiaren er der vidare som ein vaksen barnet kan gå til.",
                     "Helsesykepleieren er der videre som en voksen barnet kan gå til."),
        ]),
    ]),
    ("bti_relay", ("Stafettlogg (BTI)", "Stafettlogg (BTI)"), (
        "Betre tverrfagleg innsats: ein stafetthaldar held saman måla, tiltaka og evalueringane når fleire "
        "tenester hjelper det same barnet. Nivå 0 til 3 seier kor mange tenester som er med.",
        "Bedre tverrfaglig innsats: en stafettholder holder sammen målene, tiltakene og evalueringene når flere "
        "tjenester hjelper det samme barnet. Nivå 0 til 3 sier hvor mange tjenester som er med."), [
        (("Er det grunn til uro?", "Er det grunn til bekymring?"), [
            (SCHOOL, "Helsesjukepleiaren snakkar med barnet og føresette og avgjer innan 14 dagar om det er grunn "
                     "til uro (nivå 0).",
                     "Helsesykepleieren snakker med barnet og de foresatte og avgjør innen 14 dager om det er grunn "
                     "til bekymring (nivå 0)."),
            (CW, "Barnevernstenesta kan rettleie den som er uroa, og tek imot ei melding når det trengst.",
                 "Barneverntjenesten kan veilede den som er bekymret, og tar imot en melding når det trengs."),
            (OTHER, "Skule eller barnehage skriv ned det dei ser, snakkar med foreldra og kan drøfte saka utan namn "
                    "med andre tenester.",
                    "Skole eller barnehage skriver ned det de ser, snakker med foreldrene og kan drøfte saken uten "
                    "navn med andre tjenester."),
        ]),
        (("Tiltak", "Tiltak"), [
            (SCHOOL, "Helsesjukepleiaren set i verk tiltak i eiga teneste (nivå 1) og skriv dei i stafettloggen "
                     "med ansvarleg og frist.",
                     "Helsesykepleieren setter i verk tiltak i egen tjeneste (nivå 1) og skriver dem i "
                     "stafettloggen med ansvarlig og frist."),
            (PPT, "PPT tek på seg tiltak som gjeld læring og skule, med eigen frist.",
                  "PPT tar på seg tiltak som gjelder læring og skole, med egen frist."),
            (OTHER, "Skule eller barnehage gjer tiltak i kvardagen og skriv kva som er gjort.",
                    "Skole eller barnehage gjør tiltak i hverdagen og skriver hva som er gjort."),
        ]),
        (COOPERATION, [
            (SCHOOL, "Når to eller fleire tenester trengst (nivå 2 og 3), kallar stafetthaldaren inn til "
                     "samarbeidsmøte med barnet og familien.",
                     "Når to eller flere tjenester trengs (nivå 2 og 3), kaller stafettholderen inn til "
                     "samarbeidsmøte med barnet og familien."),
            (CW, "Barnevernstenesta deltek i samarbeidsmøta når dei har ei sak, og kan ta over stafetten om det er "
                 "best for barnet.",
                 "Barneverntjenesten deltar i samarbeidsmøtene når de har en sak, og kan ta over stafetten om det "
                 "er best for barnet."),
            (BUP, "BUP deltek når barnet får hjelp der, og avtalar kven som gjer kva i kommunen.",
                  "BUP deltar når barnet får hjelp der, og avtaler hvem som gjør hva i kommunen."),
            (PPT, "PPT deltek når skulen treng rettleiing eller barnet treng spesialundervisning.",
                  "PPT deltar når skolen trenger veiledning eller barnet trenger spesialundervisning."),
        ]),
        (EVALUATION, [
            (SCHOOL, "Helsesjukepleiaren spør barnet sjølv kva som har hjelpt, og skriv det inn i evalueringa.",
                     "Helsesykepleieren spør barnet selv hva som har hjulpet, og skriver det inn i evalueringen."),
            (OTHER, "Kvar ansvarleg evaluerer tiltaket sitt innan fristen: kva verka, og kva skjer no.",
                    "Hver ansvarlig evaluerer tiltaket sitt innen fristen: hva virket, og hva skjer nå."),
        ]),
        (CLOSING, [
            (OTHER, "Stafetthaldaren avsluttar stafettloggen saman med barnet og familien når måla er nådde, og "
                    "skriv eit kort samandrag.",
                    "Stafettholderen avslutter stafettloggen sammen med barnet og familien når målene er nådd, og "
                    "skriver et kort sammendrag."),
            (SCHOOL, "Helsesjukepleiaren avtalar med familien kvar dei kan vende seg om uroa kjem tilbake.",
                     "Helsesykepleieren avtaler med familien hvor de kan henvende seg om bekymringen kommer "
                     "tilbake."),
        ]),
    ]),
    ("other", ("Anna", "Annet"), (
        "Eit enkelt forløp når ingen av dei andre passar: oppstart, tiltak, evaluering og avslutning.",
        "Et enkelt forløp når ingen av de andre passer: oppstart, tiltak, evaluering og avslutning."), [
        (("Oppstart", "Oppstart"), [
            (OTHER, "Stafetthaldaren avtalar med barnet og familien kva forløpet skal handle om, og kven som er med.",
                    "Stafettholderen avtaler med barnet og familien hva forløpet skal handle om, og hvem som er "
                    "med."),
        ]),
        (("Tiltak", "Tiltak"), [
            (OTHER, "Kvar teneste gjer tiltaka ho har teke på seg, innan fristen.",
                    "Hver tjeneste gjør tiltakene den har tatt på seg, innen fristen."),
        ]),
        (EVALUATION, [
            (OTHER, "Teamet ser saman med barnet og familien på kva som har hjelpt, og kva som skal skje vidare.",
                    "Teamet ser sammen med barnet og familien på hva som har hjulpet, og hva som skal skje videre."),
        ]),
        (CLOSING, [
            (OTHER, "Stafetthaldaren avsluttar forløpet med eit kort samandrag når målet er nådd.",
                    "Stafettholderen avslutter forløpet med et kort sammendrag når målet er nådd."),
        ]),
    ]),
]

KEYS = [key for key, *_ in DEFAULTS]


def upgrade():
    conn = op.get_bind()
    op.bulk_insert(templates, [
        {"key": key, "position": position, "name_nn": name[0], "name_nb": name[1],
         "summary_nn": summary[0], "summary_nb": summary[1], "active": True}
        for position, (key, name, summary, _) in enumerate(DEFAULTS, start=1)
    ])
    template_ids = dict(conn.execute(sa.select(templates.c.key, templates.c.id)
                                     .where(templates.c.key.in_(KEYS))).all())
    op.bulk_insert(steps, [
        {"template_id": template_ids[key], "position": position, "name_nn": name[0], "name_nb": name[1]}
        for key, _, _, template_steps in DEFAULTS
        for position, (name, _) in enumerate(template_steps, start=1)
    ])
    step_ids = {(template_id, position): step_id for step_id, template_id, position in conn.execute(
        sa.select(steps.c.id, steps.c.template_id, steps.c.position)
        .where(steps.c.template_id.in_(template_ids.values()))
    )}
    op.bulk_insert(guidance, [
        {"step_id": step_ids[(template_ids[key], position)], "service_kind": kind, "text_nn": nn, "text_nb": nb}
        for key, _, _, template_steps in DEFAULTS
        for position, (_, texts) in enumerate(template_steps, start=1)
        for kind, nn, nb in texts
    ])


def downgrade():
    ids = sa.select(templates.c.id).where(templates.c.key.in_(KEYS)).scalar_subquery()
    step_ids = sa.select(steps.c.id).where(steps.c.template_id.in_(ids)).scalar_subquery()
    # Pathways keep existing without their template; the columns are nullable.
    op.execute(pathways.update().where(pathways.c.template_id.in_(ids)).values(template_id=None, step_id=None))
    op.execute(guidance.delete().where(guidance.c.step_id.in_(step_ids)))
    op.execute(steps.delete().where(steps.c.template_id.in_(ids)))
    op.execute(templates.delete().where(templates.c.key.in_(KEYS)))
